/**
 * Matching a file's header to the documented columns. Matching ignores case and surrounding or repeated
 * spaces (`" deal name "` is Deal Name), because spreadsheets and hand-made templates vary. A header that
 * matches nothing is reported as a file-level warning that names it, and its cells are kept in the
 * results file but never read; a column that appears twice makes the file ambiguous and is an error.
 */
import { COLUMNS, type ColumnSpec } from './columns.js';
import { FAMILIES, type FamilySpec } from './families.js';

export type HeaderMatch =
  | { kind: 'column'; index: number; header: string; spec: ColumnSpec }
  | { kind: 'family'; index: number; header: string; family: FamilySpec<unknown>; n: number }
  | { kind: 'unknown'; index: number; header: string };

export interface HeaderInfo {
  matches: HeaderMatch[];
  /** Documented column name → its cell index. */
  byName: Map<string, number>;
  unknown: string[];
  duplicates: string[];
}

const normalise = (header: string): string => header.trim().replace(/\s+/g, ' ').toLowerCase();
const BY_NORMALISED = new Map(COLUMNS.map((c) => [normalise(c.name), c]));

function matchOne(header: string, index: number): HeaderMatch {
  const key = normalise(header);
  const spec = BY_NORMALISED.get(key);
  if (spec) return { kind: 'column', index, header, spec };
  for (const family of FAMILIES) {
    const m = family.header.exec(key);
    if (m && Number(m[1]) >= 1) return { kind: 'family', index, header, family: family as FamilySpec<unknown>, n: Number(m[1]) };
  }
  return { kind: 'unknown', index, header };
}

/** The documented name of a matched header (`Solution 3` for " solution3 "). */
export function canonicalName(match: HeaderMatch): string {
  if (match.kind === 'column') return match.spec.name;
  if (match.kind === 'family') return `${match.family.prefix} ${match.n}`;
  return match.header;
}

export function matchHeader(header: readonly string[]): HeaderInfo {
  const matches = header.map(matchOne);
  const byName = new Map<string, number>();
  const duplicates: string[] = [];
  const unknown: string[] = [];
  for (const match of matches) {
    if (match.kind === 'unknown') {
      if (match.header.trim() !== '') unknown.push(match.header.trim());
      continue;
    }
    const name = canonicalName(match);
    if (byName.has(name)) duplicates.push(name);
    else byName.set(name, match.index);
  }
  return { matches, byName, unknown, duplicates };
}
