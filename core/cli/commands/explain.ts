/**
 * `cosell explain CRM-ID|REFERRAL-ID [--json]`: for one record, the last synced base, each side's current
 * values, the merge decision per field, the rules that apply and what the next sync would send. Reads
 * both sides and the state store; writes nothing. The decisions come from the engine's own merge and
 * rules (core/engine/explain-pair.ts), not from a copy.
 */
import type { Command } from 'commander';
import type { PairExplanation, UnitExplanation } from '../../engine/explain-pair.js';
import { ConfigError, NotFoundError, terminalSafe } from '../../errors.js';
import type { Violation } from '../../rules/index.js';
import type { SyncStatus } from '../../model/sync-status.js';
import { fieldLabels, type FieldLabels } from '../../rules/field-labels.js';
import { command, table, terminalJson } from '../output.js';
import { openRuntime } from './lazy-parts.js';
import { nextSyncOf, referralNextSync, unlinkedNextSync, type NextSync } from './explain-next-sync.js';

const show = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));
const cut = (s: string, n = 32) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
/** `path`, and the CRM's label when the record names it otherwise. */
function onTheRecord(path: string, labels: FieldLabels): string {
  const label = fieldLabels(path, labels);
  return label === path ? path : `${path}, on the record "${label}"`;
}
/** Each reason with its canonical path (as `cosell status` and the store name it) and, where it differs, the CRM's label (as the record shows it). */
const ruleLines = (title: string, list: Violation[], labels: FieldLabels) =>
  list.length ? [`${title}:`, ...list.map((v) => `  ${v.severity} ${v.code} (${onTheRecord(v.field, labels)}): ${v.message}`)] : [];

function pairText(crmId: string, referralId: string, x: PairExplanation & NextSync, labels: FieldLabels): string {
  const shown = x.units.filter((u: UnitExplanation) => u.decision !== 'unchanged' || u.toCrm || u.toPartnerCenter || u.base !== undefined);
  const rows = shown.map((u) => [u.unit, u.owner, cut(show(u.base)), cut(show(u.crm)), cut(show(u.partnerCenter)), u.decision]);
  const send = (side: Record<string, unknown>) => Object.entries(side).map(([unit, v]) => `  ${unit} = ${cut(show(v), 100)}`);
  return [
    `CRM ${crmId} ↔ referral ${referralId}`,
    '',
    table([['unit', 'owner', 'base (last synced)', 'CRM now', 'Partner Center now', 'decision'], ...rows]),
    '',
    ...ruleLines('Problems on the CRM record', x.problems, labels),
    ...ruleLines('Partner Center\'s rules on what would be sent', x.rules, labels),
    ...(x.blockedBecause ? [`Nothing would be sent to Partner Center: ${x.blockedBecause}`] : []),
    `The next sync would send to Partner Center:${Object.keys(x.nextSync.toPartnerCenter).length ? '' : ' nothing'}`,
    ...send(x.nextSync.toPartnerCenter),
    `The next sync would write to the CRM:${Object.keys(x.nextSync.toCrm).length ? '' : ' nothing'}`,
    ...send(x.nextSync.toCrm),
    ...(x.recordWouldShow ? [`The record would then show: ${x.recordWouldShow.state}${x.recordWouldShow.message ? ` (${x.recordWouldShow.message})` : ''}`] : []),
  ].join('\n');
}

/**
 * The status the connector last wrote onto the record, message whole: a CRM keeps less of it (Salesforce
 * 255 characters), and the record's cut message says this command shows all (MESSAGE_CONTINUES).
 */
function recordShowsLine(status: SyncStatus | undefined): string {
  if (!status) return '';
  return `The record shows: ${status.state}${status.message ? ` (${status.message})` : ''}${status.lastSyncedAt ? `, written ${status.lastSyncedAt}` : ''}.`;
}

export function registerExplainCommand(program: Command): void {
  const configFile = () => program.opts<{ config: string }>().config;
  program
    .command('explain')
    .description('what the next sync would do for one record, field by field, and why')
    .argument('<id>', 'a CRM record ID or a Partner Center referral ID')
    .option('--json', 'print JSON')
    .action(
      command(async (id: string, opts: { json?: boolean }) => {
        const runtime = await openRuntime({ configFile: configFile(), readOnly: true });
        try {
          // Loaded when the command runs, not at start: `cosell --help` and the other commands start without it.
          const [{ explainPair, explainUnlinked, withSentFlags }, { engineOptionsFor }, { previewRecord }] = await Promise.all([import('../../engine/explain-pair.js'), import('../runtime.js'), import('../../engine/record-preview.js')]);
          const { store, crm, partnerCenter, config } = runtime;
          // CRM and Partner Center text is printed: a seller's escape sequences must not drive the terminal.
          const print = (text: string, json: unknown) => console.log(opts.json ? terminalJson(json) : terminalSafe(text));
          const link = store.getLinkByCrmId(id) ?? store.getLinkByReferralId(id);
          if (link) {
            const [deal] = await crm.getDeals([link.crmId]);
            if (!deal) return void print(`CRM ${link.crmId} ↔ referral ${link.referralId}: the CRM record is gone; the link is ${link.state}. Nothing is sent.`, { link: { crmId: link.crmId, referralId: link.referralId, state: link.state }, crm: null });
            const pc = await partnerCenter.get(link.referralId);
            // The merge explains each unit; what the next sync writes is the engine's own decision, found by a
            // dry run of this record alone (holds, open conflicts, rules and parking included).
            const merge = explainPair({ link, deal, pc, policy: config.sync.conflictPolicy, now: new Date() });
            const plan = await previewRecord(runtime.engineDeps(), { link, deal, referral: pc }, engineOptionsFor(config));
            const next = nextSyncOf(plan);
            const x = { ...merge, units: withSentFlags(merge.units, next.nextSync), ...next };
            const parked = store.getParked('crm', link.crmId);
            const conflict = store.openConflictFor(link.crmId);
            const extra = [recordShowsLine(link.lastStatus), parked ? `Parked since ${parked.parkedAt}.` : '', conflict ? `Open conflict ${conflict.id} on ${conflict.fields.join(', ')} (cosell conflicts show ${conflict.id}).` : ''].filter(Boolean);
            return void print([pairText(link.crmId, link.referralId, x, crm.fieldLabels), ...extra].join('\n'), { crmId: link.crmId, referralId: link.referralId, state: link.state, policy: config.sync.conflictPolicy, ...x, recordShows: link.lastStatus ?? null, parked: parked ?? null, conflict: conflict ?? null });
          }
          const [deal] = await crm.getDeals([id]);
          if (deal) {
            const reasons = explainUnlinked(deal, { ...engineOptionsFor(config), now: new Date() });
            const x = { ...reasons, ...unlinkedNextSync(reasons.nextSync, await previewRecord(runtime.engineDeps(), { deal }, engineOptionsFor(config))) };
            const shows = x.recordWouldShow ? [`The record would then show: ${x.recordWouldShow.state}${x.recordWouldShow.message ? ` (${x.recordWouldShow.message})` : ''}`] : [];
            const text = [`CRM ${id}: not linked to a referral yet.`, `The next sync would: ${x.nextSync}.`, ...shows, ...ruleLines('Problems on the CRM record', x.problems, crm.fieldLabels), ...ruleLines('Partner Center\'s rules for creating it', x.rules, crm.fieldLabels)].join('\n');
            return void print(text, { crmId: id, linked: false, ...x });
          }
          try {
            const pc = await partnerCenter.get(id);
            const plan = await previewRecord(runtime.engineDeps(), { referral: pc }, engineOptionsFor(config));
            const next = referralNextSync(plan);
            return void print(`Referral ${id}: not linked to a CRM record yet. The next sync would: ${next}.`, { referralId: id, linked: false, partnerCenter: pc, nextSync: next, plan });
          } catch (error) {
            if (!(error instanceof NotFoundError)) throw error;
          }
          throw new ConfigError('ID', `no CRM record and no referral has the ID "${id}"`);
        } finally {
          runtime.close();
        }
      }),
    );
}
