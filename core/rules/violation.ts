/**
 * What a rule returns: every problem at once, each with a stable code (for programs and tests), the
 * canonical field path it concerns, and a message a seller understands.
 */
import type { Actor } from '../model/enums.js';
import type { RuleCode } from './catalogue.js';
import { fieldLabels, type FieldLabels } from './field-labels.js';

export type Severity = 'error' | 'warning';

export interface Violation {
  /** Stable, dotted: `create.team.required`, `transition.not_allowed`, `terminal.locked`. */
  code: string;
  /** Canonical field path: `dealName`, `team[0].email`, `solutions`. */
  field: string;
  /** For a seller: what is wrong and how to fix it. */
  message: string;
  /** Errors block the write; warnings are reported and let it through. */
  severity: Severity;
}

export interface RuleContext {
  /**
   * Who makes the change, relative to the company that owns the referral being checked: `us` is that
   * company; `microsoft` is Microsoft's sellers or Partner Center itself (expiry); `partner` is another
   * partner in the same engagement.
   */
  actor: Actor;
  /** The time the change is made (a server clock, so tests and the sandbox can move it). */
  now: Date;
  /**
   * Whether the creating organisation is vetted for solution assessment deals; undefined when nobody
   * knows (the live API documents no way to ask), and then the rule stays silent.
   */
  assessmentsAllowed?: boolean;
}

/** Builders take a {@link RuleCode}, so no rule can be emitted without its catalogue entry and source. */
export const error = (code: RuleCode, field: string, message: string): Violation => ({ code, field, message, severity: 'error' });
export const warning = (code: RuleCode, field: string, message: string): Violation => ({ code, field, message, severity: 'warning' });

export const blocking = (violations: readonly Violation[]): Violation[] => violations.filter((v) => v.severity === 'error');

/**
 * One line per violation. Given the CRM's labels (`CrmAdapter.fieldLabels`), for the CRM record's status
 * message: each field as the seller knows it (`Amount: … [format.value_positive]`), the rule code kept
 * for admins (docs/rules.md). Without them, for logs and Partner Center's side: the canonical paths.
 */
export function describeViolations(violations: readonly Violation[], labels?: FieldLabels): string {
  return violations.map((v) => `${labels ? fieldLabels(v.field, labels) : v.field}: ${v.message} [${v.code}]`).join('; ');
}

/** Whether one canonical path is the other or lies inside it (`customer` and `customer.country`, `solutions` and `solutions[0].id`). */
const overlaps = (a: string, b: string): boolean => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);

/**
 * Everything that keeps a deal from being sent, at once: what the CRM record holds that cannot be mapped,
 * then the rules' errors on the fields those leave alone (a field that could not be read would only be
 * refused again, for a wrong reason). Naming the problems alone made a seller fix one thing per sync.
 */
export function withRuleErrors(problems: readonly Violation[], rules: readonly Violation[]): Violation[] {
  return [...problems, ...blocking(rules).filter((v) => !problems.some((p) => overlaps(v.field, p.field)))];
}
