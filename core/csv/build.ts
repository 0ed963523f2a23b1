/**
 * Parsed cells → the canonical referral a row asks for: a new deal (no IDs) or the current deal with
 * the row's changes. Pure.
 *
 * Update semantics: a column missing from the file leaves its field alone; a cell that reads the same
 * as the export would write it for the current deal leaves the field alone too (so a re-imported export
 * changes nothing, even for values the CSV cannot spell exactly); any other cell, blank included, sets
 * the field. Fields the CSV does not carry (location, solution kinds and names, invitations, Microsoft's
 * side) always keep their current values.
 */
import { deriveDealType, emptyReferral, salesStageFromPercent, type Contact, type Referral, type Solution } from '../model/index.js';
import { CONTACT_COLUMNS, SIMPLE } from './column-fields.js';
import * as C from './columns.js';
import type { ColumnSpec } from './columns.js';
import type { RowError } from './errors.js';
import { violationToRowError } from './field-columns.js';
import { checkContactForHelp } from '../rules/index.js';
import { SOLUTION_FAMILY, TEAM_FAMILY, type CsvSolution, type FamilySpec } from './families.js';
import { cellOf, type FamilyCell, type ParsedRow } from './parse.js';

export interface BuildResult {
  referral: Referral;
  errors: RowError[];
}

/**
 * A cell reads as the export wrote it, line-break style aside: spreadsheets keep a line break inside a
 * cell as LF and save it so, so an exported CRLF note comes back as LF with the same text. Treating that
 * as an edit made a re-imported export update every deal with a multi-line note.
 */
const lineBreaks = (text: string) => text.replace(/\r\n?/g, '\n');
const sameText = (cell: string, exported: string) => cell === exported || lineBreaks(cell) === lineBreaks(exported);

/** What the current deal's cell would read; '' for a new deal. */
type Baseline = (spec: ColumnSpec) => string;

class RowBuilder {
  readonly errors: RowError[] = [];
  private readonly failed: Set<string>;

  constructor(private readonly row: ParsedRow, readonly target: Referral, private readonly baseline: Baseline, private readonly creating: boolean) {
    // A cell a warning is about (csv.leading_zeros) is still applied as written; only a refused one is not.
    this.failed = new Set(row.errors.filter((e) => e.severity === 'error').map((e) => e.column ?? ''));
  }

  error(spec: ColumnSpec, code: string, message: string): void {
    this.errors.push({ row: this.row.row, column: spec.name, code, message, severity: 'error' });
  }

  /** The column is in the file, parsed, and asks for a change. */
  changes(spec: ColumnSpec): boolean {
    const cell = cellOf(this.row, spec);
    return cell !== undefined && !this.failed.has(spec.name) && (this.creating || !sameText(cell.text, this.baseline(spec).trim()));
  }

  /** The value the row asks for: the cell's when the column changes, the current one's otherwise. */
  value<T>(spec: ColumnSpec<T>, current: T | undefined): T | undefined {
    return this.changes(spec) ? cellOf(this.row, spec)?.value : current;
  }

  checkMandatory(): void {
    for (const spec of C.COLUMNS) {
      if (spec.mandatory !== 'Yes' || spec.readOnly) continue;
      const cell = cellOf(this.row, spec);
      if (this.creating && (cell === undefined || cell.text === '')) {
        this.error(spec, 'csv.mandatory', cell ? 'is mandatory ("Is mandatory? Yes") and empty' : 'is mandatory ("Is mandatory? Yes") and missing from the file');
      } else if (!this.creating && cell !== undefined && cell.text === '' && this.baseline(spec).trim() !== '') {
        this.error(spec, 'csv.mandatory', 'is mandatory ("Is mandatory? Yes") and cannot be emptied');
      }
    }
    if (this.creating) {
      // A create's solutions and team members start in "Solution 1" / "Team member 1" ("add extra columns
      // next to solution 1"); one only in a later column leaves the mandatory first one empty. With none at
      // all, the rules say so (create.solution.required, create.team.required).
      this.checkFirstOfNewFamily(SOLUTION_FAMILY, this.row.solutions);
      this.checkFirstOfNewFamily(TEAM_FAMILY, this.row.team);
    } else {
      // "Solution 1" and "Team member 1" are mandatory columns too: emptying one on an update would take
      // the deal's first (often only) solution or team member away, which no create could have left.
      this.checkFirstOfFamily(SOLUTION_FAMILY, this.row.solutions, this.target.solutions.length);
      this.checkFirstOfFamily(TEAM_FAMILY, this.row.team, this.target.team.length);
    }
  }

  private checkFirstOfFamily<T>(family: FamilySpec<T>, cells: readonly FamilyCell<T>[], currentCount: number): void {
    const first = cells.find((c) => c.n === 1);
    if (first === undefined || first.text !== '' || currentCount === 0) return;
    this.firstOfFamilyError(family, first.column, 'cannot be emptied');
  }

  private checkFirstOfNewFamily<T>(family: FamilySpec<T>, cells: readonly FamilyCell<T>[]): void {
    const first = cells.find((c) => c.n === 1);
    if ((first && first.text !== '') || !cells.some((c) => c.text !== '')) return;
    this.firstOfFamilyError(family, first?.column ?? `${family.prefix} 1`, first ? 'empty' : 'missing from the file');
  }

  private firstOfFamilyError<T>(family: FamilySpec<T>, column: string, what: string): void {
    this.errors.push({ row: this.row.row, column, code: 'csv.mandatory', message: `is mandatory ("Is mandatory? ${family.firstMandatory}") and ${what}`, severity: 'error' });
  }

  applySimple(): void {
    for (const [spec, apply] of SIMPLE) {
      if (!this.changes(spec) || (spec === C.CLOSE_REASON && this.ignoresCloseReason())) continue;
      apply(this.target, cellOf(this.row, spec)?.value);
    }
  }

  /**
   * "Declined/Lost reason" applies "only if you are changing the sub status … to either Declined or
   * Lost" (seed): on a row with another substatus the reason is ignored, with a warning in the results
   * row, rather than stored on a deal it does not describe.
   */
  private ignoresCloseReason(): boolean {
    if (cellOf(this.row, C.CLOSE_REASON)?.value === undefined) return false;
    const substatus = this.value(C.SUBSTATUS, this.target.substatus);
    if (substatus === 'Declined' || substatus === 'Lost') return false;
    this.errors.push({ row: this.row.row, column: C.CLOSE_REASON.name, code: 'csv.ignored_for_status', message: `is ignored: a reason applies only to a Declined or Lost deal, and this row's substatus is ${substatus ?? 'empty'}`, severity: 'warning' });
    return true;
  }

  applyContact(): void {
    if (!CONTACT_COLUMNS.some(([spec]) => this.changes(spec))) return;
    const current = this.target.customerContact;
    const contact: Contact = { firstName: '', lastName: '', phone: '', email: '' };
    for (const [spec, key] of CONTACT_COLUMNS) contact[key] = this.value(spec as ColumnSpec<string>, current?.[key]) ?? '';
    if (Object.values(contact).every((v) => v === '')) delete this.target.customerContact;
    else this.target.customerContact = contact;
  }

  /** Help: "Microsoft help required?" Yes/No, and the help code "applicable only if you choose Yes". */
  applyHelp(): boolean {
    if (!this.changes(C.HELP_REQUIRED) && !this.changes(C.HELP_TYPE)) return false;
    if (this.failed.has(C.HELP_REQUIRED.name)) return false;
    const required = this.value(C.HELP_REQUIRED as ColumnSpec<boolean>, this.target.helpType !== undefined);
    if (this.failed.has(C.HELP_TYPE.name)) {
      if (required === true) this.contactForHelp();
      return false;
    }
    const helpType = this.value(C.HELP_TYPE, this.target.helpType);
    if (required === true && helpType === undefined) {
      this.error(C.HELP_TYPE, 'csv.help_code_required', 'is required when "Microsoft help required?" is Yes: enter a help code 1 to 6');
      this.contactForHelp();
    } else if (required === false && helpType !== undefined) {
      this.error(C.HELP_TYPE, 'csv.help_not_requested', 'is given but "Microsoft help required?" is No: leave it empty or answer Yes');
    }
    if (required) this.target.helpType = helpType;
    else delete this.target.helpType;
    return true;
  }

  /**
   * A row answering Yes to help without a usable help code is refused before the rules see it ask for
   * help, so the customer contact that help needs is checked here too ("First name is only mandatory if
   * you need Microsoft help"): every fault of the row, not just the first.
   */
  private contactForHelp(): void {
    for (const violation of checkContactForHelp(this.target)) this.errors.push(violationToRowError(violation, this.row));
  }

  applyStatus(): void {
    if (!this.changes(C.STATUS) && !this.changes(C.SUBSTATUS)) return;
    const status = this.value(C.STATUS, this.target.status);
    const substatus = this.value(C.SUBSTATUS, this.target.substatus);
    // A create is refused for a Declined/Lost status before the rules see it, so the missing reason
    // (which the rules report on updates) is listed here too: every fault of the row, not just the first.
    if (this.creating && (substatus === 'Declined' || substatus === 'Lost') && this.value(C.CLOSE_REASON, this.target.closeReason) === undefined && !this.failed.has(C.CLOSE_REASON.name)) {
      this.error(C.CLOSE_REASON, 'close_reason.required', `Choose a reason to mark the deal ${substatus.toLowerCase()} (one of the eight Partner Center reasons).`);
    }
    if (this.creating) {
      // "Use New if you are trying to create a new deal" / "Use Accepted"; Partner Center creates the
      // deal Active/Accepted (partner-center-api.md §1.9). An exported Active/Accepted row is accepted too.
      if (status === undefined || substatus === undefined) return;
      if (substatus !== 'Accepted' || (status !== 'New' && status !== 'Active')) {
        this.error(C.STATUS, 'csv.create_status', `a new deal is created with Status "New" and Substatus "Accepted" ("Use New if you are trying to create a new deal"); this row has ${status}/${substatus}`);
      }
      return;
    }
    if (status !== undefined) this.target.status = status;
    if (substatus !== undefined) this.target.substatus = substatus;
  }

  applySalesStage(): void {
    if (!this.changes(C.SALES_STAGE)) return;
    const percent = cellOf(this.row, C.SALES_STAGE)?.value;
    if (percent === undefined) delete this.target.salesStage;
    else this.target.salesStage = salesStageFromPercent(percent, this.target.direction);
  }

  /** Rebuilds a collection when one of its present columns changes; absent columns keep their item. */
  applyFamily<T, Item>(family: FamilySpec<T>, cells: readonly FamilyCell<T>[], current: readonly Item[], toCell: (item: Item) => T, merge: (value: T, current: readonly Item[]) => Item): Item[] | undefined {
    const changed = cells.some((c) => !this.failed.has(c.column) && (this.creating || c.text !== (current[c.n - 1] === undefined ? '' : family.format(toCell(current[c.n - 1]!)))));
    if (!changed) return undefined;
    const byN = new Map(cells.map((c) => [c.n, c]));
    const last = Math.max(current.length, ...cells.map((c) => c.n));
    const items: Item[] = [];
    for (let n = 1; n <= last; n += 1) {
      const cell = byN.get(n);
      if (cell === undefined) {
        if (current[n - 1] !== undefined) items.push(current[n - 1]!);
      } else if (cell.value !== undefined) {
        items.push(merge(cell.value, current));
      }
    }
    return items;
  }

  applyCollections(): boolean {
    const solutions = this.applyFamily(SOLUTION_FAMILY, this.row.solutions, this.target.solutions, (s) => s, mergeSolution);
    const team = this.applyFamily(TEAM_FAMILY, this.row.team, this.target.team, (m) => m, (m: Contact) => ({ ...m }));
    if (solutions) this.target.solutions = solutions;
    if (team) this.target.team = team;
    return solutions !== undefined;
  }
}

/** A CSV solution on the deal: kind, name and incentive flags come from the same solution already on it. */
function mergeSolution(cell: CsvSolution, current: readonly Solution[]): Solution {
  const existing = current.find((s) => s.id.toLowerCase() === cell.id.toLowerCase());
  const merged: Solution = { ...(existing ?? { kind: 'own' }), id: cell.id };
  for (const key of ['currency', 'price', 'quantity'] as const) {
    if (cell[key] === undefined) delete merged[key];
    else (merged as unknown as Record<string, unknown>)[key] = cell[key];
  }
  return merged;
}

function build(builder: RowBuilder): void {
  builder.checkMandatory();
  builder.applySimple();
  builder.applyContact();
  builder.applyStatus();
  builder.applySalesStage();
  const help = builder.applyHelp();
  const solutions = builder.applyCollections();
  const share = builder.changes(C.SHARE);
  if (help || solutions || share) builder.target.dealType = deriveDealType(builder.target);
}

export interface CreateOptions {
  /** The MPN location scope for new deals: the CSV has no Location column, and the rules require one. */
  location?: string;
}

/** A new outbound deal, Active/Accepted as Partner Center creates it. */
export function buildCreate(row: ParsedRow, options: CreateOptions = {}): BuildResult {
  const referral = emptyReferral({ direction: 'outbound', status: 'Active', substatus: 'Accepted', ...(options.location ? { location: options.location } : {}) });
  const builder = new RowBuilder(row, referral, () => '', true);
  build(builder);
  referral.dealType = deriveDealType(referral);
  return { referral, errors: builder.errors };
}

/** The current deal with the row's changes. */
export function buildUpdate(row: ParsedRow, current: Referral): BuildResult {
  const next = structuredClone(current);
  const builder = new RowBuilder(row, next, (spec) => spec.format(current), false);
  build(builder);
  return { referral: next, errors: builder.errors };
}
