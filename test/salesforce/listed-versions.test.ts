/**
 * A page's deals are versioned without hashing a row again whose version is known (long-text-apart.ts
 * `listedVersionOf`, assemble.ts `versionedRow`): a row completed from a listed one with only the kept long
 * text fields added takes the listed row's version, and a record the connector reads as its own copy
 * (`ownFields`) takes the record's when the copy changed nothing a version holds. Either way the version is
 * the one hashing the row would give (row-version-samples.test.ts pins them); a row that differs is hashed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { dealVersion, type SfRecord } from '../../connectors/salesforce/assemble.js';
import { dealsOfRows } from '../../connectors/salesforce/deals-of-rows.js';
import { listedVersionOf, opportunityVersion } from '../../connectors/salesforce/long-text-apart.js';
import { effectiveFieldTable } from '../../mappings/fields.salesforce.js';

const samples = () => JSON.parse(readFileSync(new URL('../fixtures/salesforce-page-rows.json', import.meta.url), 'utf8')) as Record<'linked' | 'unlinked', SfRecord>;
const KEPT = ['Cosell_Invitations__c', 'Cosell_Outside_Team__c'] as const;

/** `opportunityVersion`, noting which row objects it was asked for. */
function recording(): { versionOf: (row: SfRecord) => string; asked: SfRecord[] } {
  const asked: SfRecord[] = [];
  return { asked, versionOf: (row) => (asked.push(row), opportunityVersion(row)) };
}

/** The listed row (kept fields not read) and the row the page completes from it (withApartFields: a spread copy). */
function listedAndCompleted(row: SfRecord): { listed: SfRecord; completed: SfRecord } {
  const listed = { ...row };
  for (const field of KEPT) delete listed[field];
  return { listed, completed: { ...listed, ...Object.fromEntries(KEPT.map((f) => [f, row[f]])) } };
}

describe('Salesforce page versions taken from the listed rows (pure)', () => {
  it('a completed row is versioned as its listed row: the same version, asked of the listed row', () => {
    const { listed, completed } = listedAndCompleted(samples().linked);
    const { versionOf, asked } = recording();
    const version = listedVersionOf([listed], versionOf)(completed);
    assert.equal(version, opportunityVersion(completed));
    assert.deepEqual(asked, [listed]);
    assert.equal(asked[0], listed);
  });

  it('a row that differs from its listed row in any other field, or has one more or one fewer, is hashed itself', () => {
    const { listed, completed } = listedAndCompleted(samples().linked);
    const { Probability: _gone, ...fewer } = completed;
    const variants: SfRecord[] = [{ ...completed, Amount: 1 }, { ...completed, Account: { ...(completed.Account as object) } }, { ...completed, Extra__c: null }, fewer as SfRecord, { ...completed, Id: 'other' }];
    for (const row of variants) {
      const { versionOf, asked } = recording();
      assert.equal(listedVersionOf([listed], versionOf)(row), opportunityVersion(row));
      assert.deepEqual(asked, [row]);
    }
  });

  it('an unlinked record whose copied write-backs are empty is versioned as read; one holding any, as its own copy', () => {
    const s = samples();
    const ctx = { rows: effectiveFieldTable(), stageMap: new Map(), optInRules: { requireSolution: false } };
    const notes = { lastStage: new Map<string, string>(), copies: new Map<string, string[]>() };
    const empty = { contactRoles: [], team: [], solutions: [], invitations: [] };
    const { listed } = listedAndCompleted(s.unlinked);
    const clone = { ...listed, Id: '0065g00000000ZZAAA', Cosell_Direction__c: 'Outbound' };
    const { versionOf, asked } = recording();
    const deals = dealsOfRows([listed, clone], empty, ctx, versionOf, notes);
    assert.equal(asked[0], listed);
    assert.notEqual(asked[1], clone);
    assert.equal(asked[1]!.Cosell_Direction__c, null);
    assert.deepEqual(deals.map((d) => d.etag), [opportunityVersion(listed), opportunityVersion({ ...clone, Cosell_Direction__c: null, Cosell_Invitations__c: null, Cosell_Outside_Team__c: null })]);
  });

  it("dealVersion is the version the deal read from a row carries: as read, or a clone's own copy", () => {
    const s = samples();
    const ctx = { rows: effectiveFieldTable(), stageMap: new Map(), optInRules: { requireSolution: false } };
    const empty = { contactRoles: [], team: [], solutions: [], invitations: [] };
    const { listed: linked } = listedAndCompleted(s.linked);
    const { listed: unlinked } = listedAndCompleted(s.unlinked);
    const clone = { ...unlinked, Id: '0065g00000000ZZAAA', Cosell_Direction__c: 'Outbound', Cosell_Referral_Status__c: 'Active/Accepted' };
    const rows = [linked, unlinked, clone];
    const deals = dealsOfRows(rows, empty, ctx, opportunityVersion, { lastStage: new Map(), copies: new Map() });
    assert.deepEqual(rows.map((row) => dealVersion(row)), deals.map((d) => d.etag));
    // The clone's row as read hashes otherwise: what the writer's check compared before (write.ts).
    assert.notEqual(opportunityVersion(clone), deals[2]!.etag);
    assert.equal(dealVersion(linked), opportunityVersion(linked));
  });
});
