/**
 * Value conversions between Dataverse column values and canonical values, driven by the field
 * table's `kind` and `choices`, plus dotted-path access to the canonical referral. Pure.
 */
import type { Choice, ColumnKind, DynamicsFieldRow } from '../../mappings/fields.dynamics.js';

export type Converted = { ok: true; value: unknown } | { ok: false; message: string };

export function fromCrmValue(row: DynamicsFieldRow, raw: unknown): Converted {
  if (raw === null || raw === undefined || raw === '') return { ok: true, value: undefined };
  switch (row.kind) {
    case 'string':
    case 'memo':
      return { ok: true, value: String(raw).trim() || undefined };
    case 'money':
    case 'decimal':
    case 'integer':
      return typeof raw === 'number' ? { ok: true, value: raw } : { ok: false, message: `${row.column} holds ${JSON.stringify(raw)}, not a number` };
    case 'boolean':
      return { ok: true, value: raw === true };
    case 'date':
      return { ok: true, value: String(raw).slice(0, 10) };
    case 'datetime':
      return { ok: true, value: new Date(String(raw)).toISOString() };
    case 'choice': {
      const choice = (row.choices ?? []).find((c: Choice) => c.value === raw);
      return choice ? { ok: true, value: choice.canonical } : { ok: false, message: `${row.column} holds option ${String(raw)}, which is not one of ${(row.choices ?? []).map((c) => `${c.value} (${c.label})`).join(', ')}` };
    }
  }
}

export function toCrmValue(kind: ColumnKind, value: unknown, choices?: readonly Choice[]): unknown {
  if (value === undefined || value === null || value === '') return null;
  switch (kind) {
    case 'string':
    case 'memo':
      return String(value);
    case 'money':
    case 'decimal':
      return Number(value);
    case 'integer':
      return Math.round(Number(value));
    case 'boolean':
      return value === true;
    case 'date':
      return String(value).slice(0, 10);
    case 'datetime':
      return new Date(String(value)).toISOString().replace(/\.\d{3}Z$/, 'Z');
    case 'choice':
      return (choices ?? []).find((c) => c.canonical === value)?.value ?? null;
  }
}

export function getPath(object: unknown, path: string): unknown {
  let current: unknown = object;
  for (const key of path.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

export function setPath(object: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let current = object;
  for (const key of keys.slice(0, -1)) {
    if (typeof current[key] !== 'object' || current[key] === null) current[key] = {};
    current = current[key] as Record<string, unknown>;
  }
  current[keys[keys.length - 1]!] = value;
}

/** Whether a field row is touched by the engine's changed canonical paths (`team[2].email` touches `team[].email`). */
export function touches(rowPath: string, changed: readonly string[]): boolean {
  const normal = rowPath.replace('[]', '');
  return changed.some((c) => {
    const path = c.replace(/\[\d*\]/g, '');
    return path === normal || normal.startsWith(`${path}.`) || path.startsWith(`${normal}.`);
  });
}
