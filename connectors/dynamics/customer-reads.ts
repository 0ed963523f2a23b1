/**
 * The account and contact version each opportunity was last read with, in the related-row index (key
 * `<opportunity ID>.account` / `.contact`, the way Salesforce keeps `<opportunity ID>.account`). A changed
 * account must reach every deal that uses it, so customer-changes.ts reads again each deal whose last read
 * saw an older version of it. Comparing with the opportunity's own last change instead missed a deal the
 * connector itself wrote after the account changed (its status write, or a seller's edit sent in the same
 * run) without reading it again: its referral kept the old customer under *synced* (model-based test,
 * Dynamics 365 seeds 1407, 1505, 1507, 1512).
 *
 * A version is pending under the run that read it until that run is committed: the run's last page carries
 * `customersReadRun`, and the next run, finding it in its committed cursor, settles it. Known earlier, a run
 * stopped between its read and its commit would take an account change it never processed for handled.
 */
import { randomUUID } from 'node:crypto';
import type { RelatedRowIndex } from '../../core/engine/crm-port.js';
import type { RawRow } from './records.js';

/** The cursor field naming the run whose reads the next run settles. */
export const READ_RUN_FIELD = 'customersReadRun';

/** The customer lookups an opportunity is read with (`$expand`), by the name its index key ends in. */
const EXPANDED = [
  { name: 'account', navigation: 'parentaccountid' },
  { name: 'contact', navigation: 'parentcontactid' },
] as const;
export type CustomerName = (typeof EXPANDED)[number]['name'];

export const customerKey = (opportunityId: string, customer: CustomerName): string => `${opportunityId.toLowerCase()}.${customer}`;

export class CustomerReads {
  /** The run reading now, if any: reads outside a run (none yet) remember no version. */
  private run: string | undefined;

  constructor(private readonly index: RelatedRowIndex) {}

  /** A run begins: the one its committed cursor names was committed in full, so its reads are known. */
  async begin(cursor: Readonly<Record<string, unknown>> | undefined): Promise<string> {
    const committed = cursor?.[READ_RUN_FIELD];
    if (typeof committed === 'string') await this.index.settleRelatedVersions(committed);
    this.run = randomUUID();
    return this.run;
  }

  /**
   * The run's feed has handed out its last page, whose cursor names the run: from here on a read (the engine's
   * re-reads after its writes: parked records, due revisits, deals whose customer it wrote through another deal)
   * is processed after that cursor may be committed, so a version remembered under the run would be settled by
   * the next run even when the work on it was lost (a crash before its commit), and the deal's customer change
   * taken as handled. Until the next run begins, reads remember no version: at worst the deal is read once more.
   */
  end(): void {
    this.run = undefined;
  }

  /** The account and contact versions these opportunity rows (read with `$expand`) carry, pending for the run. */
  async read(rows: readonly RawRow[]): Promise<void> {
    const run = this.run;
    if (!run) return;
    const remembered = rows.flatMap((row) => EXPANDED.flatMap(({ name, navigation }) => {
      const customer = row[navigation] as RawRow | null | undefined;
      const version = customer?.versionnumber;
      if (version == null) return [];
      return [{ rowId: customerKey(String(row.opportunityid), name), parentId: String(row.opportunityid).toLowerCase(), version: String(version), run }];
    }));
    if (remembered.length) await this.index.rememberRelatedRows(remembered);
  }

  /** Index key → the customer version a committed read of that opportunity saw. */
  known(keys: readonly string[]): Promise<Map<string, string>> {
    return keys.length ? this.index.relatedVersions(keys) : Promise.resolve(new Map());
  }
}
