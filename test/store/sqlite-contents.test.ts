/**
 * What lands in the SQLite file: snapshots exactly as the JSON given, and nothing that looks like a
 * credential. Referrals carry customer contact data by design (the CRM holds it too), never a token.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { openSqliteStore } from '../../core/store/index.js';
import { error } from '../../core/rules/violation.js';
import { coSellDeal } from '../helpers/referrals.js';
import { makeLink, makeTempDir, minutesAfterCreation } from './store-fixtures.js';

/** Shapes of secrets: JWTs (Entra ID tokens), bearer headers, OAuth fields, keys and passwords. */
const SECRET_SHAPES = [
  /eyJ[\w-]{8,}\.[\w-]{8,}/,
  /\bbearer\s+\S/i,
  /access_token|refresh_token|id_token|client_secret|client_assertion/i,
  /"(password|secret|apiKey|api_key|privateKey)"/i,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
];
const SECRET_COLUMN_NAMES = /token|secret|password|credential|private/i;

describe('SQLite state store: what is stored', () => {
  const temp = makeTempDir();
  after(() => temp.cleanup());

  it('stores the base snapshot and the last status exactly as the JSON given', () => {
    const file = temp.file();
    const base = coSellDeal();
    const link = makeLink(1, { base, lastStatus: { state: 'synced', message: '', referralId: base.referralId!, lastSyncedAt: minutesAfterCreation(1) } });
    const store = openSqliteStore(file);
    store.putLink(link);
    store.close();

    const raw = new Database(file, { readonly: true });
    try {
      const row = raw.prepare<[string], { base_json: string; last_status_json: string }>('SELECT base_json, last_status_json FROM links WHERE crm_id = ?').get(link.crmId);
      assert.equal(row?.base_json, JSON.stringify(base));
      assert.equal(row?.last_status_json, JSON.stringify(link.lastStatus));
    } finally {
      raw.close();
    }
  });

  it('holds nothing that looks like a token or secret, in any column of any table', () => {
    const file = temp.file();
    const store = openSqliteStore(file);
    const link = makeLink(1, { base: coSellDeal(), crmEtag: 'W/"7781234"', heldUntil: '2026-01-08T09:00:00.000Z' });
    store.transaction((tx) => {
      tx.putLink(link);
      tx.putIntent({ target: 'referral', sourceId: link.crmId, createdAt: minutesAfterCreation(1), attempts: 1 });
      tx.park({ side: 'crm', recordId: '006X', reasons: [error('create.team.required', 'team', 'Add a team member.')], fingerprint: 'sha256:abc', parkedAt: minutesAfterCreation(2), attempts: 1 });
      tx.addConflict({ crmId: link.crmId, referralId: link.referralId, fields: ['value'], base: coSellDeal(), crm: coSellDeal({ value: 1 }), partnerCenter: coSellDeal({ value: 2 }), detectedAt: minutesAfterCreation(3) });
      tx.putCursor('crm', { modstamp: minutesAfterCreation(4), id: link.crmId });
      tx.putCursor('partner-center', { updatedAfter: minutesAfterCreation(4) });
    });
    store.finishRun(store.startRun(minutesAfterCreation(5)).id, { outcome: 'ok', counts: { read: 1 }, finishedAt: minutesAfterCreation(6) });
    store.acquireLock('host-1:4242', Date.parse(minutesAfterCreation(7)), 60_000);
    store.close();

    const raw = new Database(file, { readonly: true });
    try {
      const tables = raw.prepare<[], { name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
      let cells = 0;
      for (const { name } of tables) {
        for (const column of raw.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${name}')`).all()) {
          assert.doesNotMatch(column.name, SECRET_COLUMN_NAMES, `${name}.${column.name}`);
        }
        for (const row of raw.prepare<[], Record<string, unknown>>(`SELECT * FROM "${name}"`).all()) {
          for (const [column, value] of Object.entries(row)) {
            if (typeof value !== 'string') continue;
            cells += 1;
            for (const shape of SECRET_SHAPES) assert.doesNotMatch(value, shape, `${name}.${column}`);
          }
        }
      }
      assert.ok(cells > 20, 'the scan saw the stored records');
    } finally {
      raw.close();
    }
  });
});
