/**
 * Canonical referral → a row of the documented columns, in the documented order, with as many
 * `Solution N` and `Team member N` columns as the file needs (at least one each, as in Partner Center's
 * template). Every cell is neutralised against formulas (formula.ts). Pure.
 */
import type { Referral } from '../model/index.js';
import { COLUMNS } from './columns.js';
import { SOLUTION_FAMILY, TEAM_FAMILY } from './families.js';
import { neutralise } from './formula.js';

export interface FamilyWidths {
  solutions: number;
  team: number;
}

const numbered = (prefix: string, count: number): string[] => Array.from({ length: count }, (_, i) => `${prefix} ${i + 1}`);

/** The widths a set of referrals needs: the largest number of solutions and of team members, at least 1. */
export function widthsFor(referrals: Iterable<Referral>): FamilyWidths {
  const widths = { solutions: 1, team: 1 };
  for (const r of referrals) {
    widths.solutions = Math.max(widths.solutions, r.solutions.length);
    widths.team = Math.max(widths.team, r.team.length);
  }
  return widths;
}

export function headerRow(widths: FamilyWidths): string[] {
  return [...COLUMNS.map((c) => c.name), ...numbered(SOLUTION_FAMILY.prefix, widths.solutions), ...numbered(TEAM_FAMILY.prefix, widths.team)];
}

/** The cells of one referral before neutralisation (also used to compare a row with a deal). */
export function plainCells(referral: Referral, widths: FamilyWidths): string[] {
  const solutions = Array.from({ length: widths.solutions }, (_, i) => (referral.solutions[i] ? SOLUTION_FAMILY.format(referral.solutions[i]) : ''));
  const team = Array.from({ length: widths.team }, (_, i) => (referral.team[i] ? TEAM_FAMILY.format(referral.team[i]) : ''));
  return [...COLUMNS.map((c) => c.format(referral)), ...solutions, ...team];
}

/** The row as written to a file. */
export function formatRow(referral: Referral, widths: FamilyWidths): string[] {
  return plainCells(referral, widths).map(neutralise);
}

/**
 * Values this format cannot carry back: a part of a `Solution N` or `Team member N` cell that contains a
 * comma (parts are comma-separated). Such a row exports, but its re-import is refused, so the export
 * says so up front. Pure.
 */
export function unrepresentable(referral: Referral): string[] {
  const problems: string[] = [];
  referral.team.forEach((m, i) => {
    if ([m.firstName, m.lastName, m.phone, m.email].some((part) => part.includes(','))) problems.push(`Team member ${i + 1} has a comma in a name, phone or email`);
  });
  referral.solutions.forEach((s, i) => {
    if ([s.id, s.currency ?? ''].some((part) => part.includes(','))) problems.push(`Solution ${i + 1} has a comma in its ID or currency`);
  });
  return problems;
}
