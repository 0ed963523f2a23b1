/** Test naming: every rule test is named after its rule code and cites the sentence it comes from. */
import assert from 'node:assert/strict';
import { ruleSource, type Violation } from '../../core/rules/index.js';

export function ruleTitle(code: string): string {
  const entry = ruleSource(code);
  if (!entry) throw new Error(`no catalogue entry for ${code}`);
  return `${code}: ${entry.title} (${entry.source}: "${entry.quote}")`;
}

export function codes(violations: readonly Violation[]): string[] {
  return violations.map((v) => v.code);
}

export function assertClean(violations: readonly Violation[]): void {
  assert.deepEqual(violations, [], `expected no violations, got ${JSON.stringify(violations, null, 1)}`);
}

/** Asserts that `code` was raised (as an error unless `severity` says otherwise) on `field`. */
export function assertRaised(violations: readonly Violation[], code: string, field?: string, severity: 'error' | 'warning' = 'error'): Violation {
  const found = violations.find((v) => v.code === code && (field === undefined || v.field === field));
  assert.ok(found, `expected ${code}${field ? ` on ${field}` : ''}, got ${JSON.stringify(violations.map((v) => `${v.code}@${v.field}`))}`);
  assert.equal(found.severity, severity);
  assert.ok(found.message.length > 10, 'the message must say something to a seller');
  return found;
}
