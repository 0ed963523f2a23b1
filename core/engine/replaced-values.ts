/**
 * When the merge settles a unit changed on both sides (by field ownership or by the conflict policy),
 * one side's edit is replaced by the other's. That is the documented policy, but it must never be
 * silent: each replacement is described here so the engine can log it and show it on the CRM record
 * (which value was replaced, by which side's value, and by which rule).
 */
import type { Referral } from '../model/referral.js';
import type { ConflictPolicy, UnitConflict } from './merge/three-way.js';
import { readUnit } from './merge/units.js';
import { SYNC_FIELDS } from '../../mappings/field-ownership.js';
import { fieldLabel, type FieldLabels } from '../rules/field-labels.js';

export interface Replacement {
  unit: string;
  /** The side whose value was replaced. */
  replaced: 'crm' | 'partner-center';
  lostValue: unknown;
  keptValue: unknown;
  rule: string;
}

const SIDE = { crm: 'the CRM', 'partner-center': 'Partner Center' } as const;

/** A value as an admin reads it in a message: quoted text, a status as Status/Substatus, "(empty)" for none. */
export function showValue(value: unknown): string {
  if (value === undefined || value === null || value === '') return '(empty)';
  const v = typeof value === 'object' && value !== null && 'substatus' in value ? `${String((value as { status?: string }).status)}/${String((value as { substatus: string }).substatus)}` : value;
  const text = typeof v === 'string' ? `"${v}"` : JSON.stringify(v);
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

function ruleOf(conflict: UnitConflict, policy: ConflictPolicy): string {
  if (conflict.settledBy === 'terminal') return "Partner Center's final state stands [terminal.locked]";
  if (conflict.settledBy === 'ownership') return `${SIDE[conflict.winner as 'crm' | 'partner-center']} owns ${conflict.unit}`;
  if (policy === 'newest-wins') return 'the newer edit wins';
  return `policy ${policy}`;
}

/**
 * The replacements a merge made: units settled by ownership or policy for one side, and a CRM close that
 * Partner Center's own final state replaced (the seller marked it won while Partner Center closed it lost).
 */
export function replacements(conflicts: readonly UnitConflict[], crm: Referral, pc: Referral, policy: ConflictPolicy): Replacement[] {
  return conflicts.flatMap((c) => {
    const finalWins = c.settledBy === 'terminal' && c.winner === 'partner-center';
    if ((c.settledBy !== 'ownership' && c.settledBy !== 'policy' && !finalWins) || (c.winner !== 'crm' && c.winner !== 'partner-center')) return [];
    if (SYNC_FIELDS.find((f) => f.unit === c.unit)?.setByConnector) return [];
    const replaced = c.winner === 'crm' ? 'partner-center' : 'crm';
    const [lost, kept] = replaced === 'crm' ? [crm, pc] : [pc, crm];
    return [{ unit: c.unit, replaced, lostValue: readUnit(lost, c.unit), keptValue: readUnit(kept, c.unit), rule: ruleOf(c, policy) }];
  });
}

/** One sentence per replacement, for the record's sync message: each unit named by the CRM's label for it. */
export function describeReplacements(list: readonly Replacement[], labels: FieldLabels = {}): string {
  return list
    .map((r) => {
      const winner = r.replaced === 'crm' ? 'partner-center' : 'crm';
      const field = fieldLabel(r.unit, labels);
      return `${SIDE[r.replaced].replace(/^t/, 'T')}'s ${field} ${showValue(r.lostValue)} was replaced by ${SIDE[winner]}'s ${showValue(r.keptValue)} (${r.rule.replace(r.unit, field)}).`;
    })
    .join(' ');
}
