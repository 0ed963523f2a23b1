/**
 * The Dataverse sandbox's `$orderby` order (order-keys.ts): keys made once per row, text lower-cased once.
 * The rule: null first ascending (last descending), numbers by value, anything else by its lower-cased text,
 * a number against text as its text; the next column decides only when a column compares equal.
 */
import assert from 'node:assert/strict';
import { compareOrderKeys, orderKey } from '../../sandbox/dataverse/order-keys.js';

const GUID_UPPER = 'B0C05E11-0000-4000-8000-00000000D7A7';
const GUID_LOWER = GUID_UPPER.toLowerCase();

/** [a, b, sign of a against b ascending]. No undefined: a row's key reads a missing column as null (query.ts). */
const PAIRS: [unknown, unknown, number][] = [
  [null, null, 0], [null, 'a', -1], ['a', null, 1], [null, 0, -1], [0, null, 1],
  [9, 10, -1], [10, 9, 1], [-1, 2.5, -1], [2.5, 2.5, 0], [Infinity, 10, 1],
  ['Alpha', 'alpha', 0], ['ALPHA', 'beta', -1], ['beta', 'ALPHA', 1], ['Beta2', 'beta', 1], ['', 'a', -1],
  ['10', '9', -1], [10, '9', -1], ['9', 10, 1], [10, '10', 0], [Infinity, 'infinity', 0], [Infinity, 'INFINITY', 0],
  [true, 'True', 0], [false, 'true', -1], ['ÉCOLE', 'école', 0], ['école', 'ecole', 1],
  [GUID_UPPER, GUID_LOWER, 0], [GUID_LOWER, 'b0c05e11-0000-4000-8000-00000000d7a8', -1],
  ['2026-01-02T03:04:05Z', '2026-01-02', 1],
];

const cmp = (a: unknown[], b: unknown[], desc: boolean[]): number => Math.sign(compareOrderKeys(orderKey(a), orderKey(b), desc));

describe('Dataverse sandbox: $orderby sort keys', () => {
  it('orders pairs of values as the rule says, ascending and (reversed) descending', () => {
    for (const [a, b, expected] of PAIRS) {
      assert.equal(cmp([a], [b], [false]), expected, `${String(a)} vs ${String(b)} asc`);
      assert.equal(cmp([a], [b], [true]), expected === 0 ? 0 : -expected, `${String(a)} vs ${String(b)} desc`);
    }
  });

  it('goes on to the next column only when a column compares equal, case aside', () => {
    const rows = [['B', 2], ['a', 3], ['b', 1], ['A', 1], [null, 5]];
    const desc = [false, true];
    const sorted = rows.map((r) => ({ r, key: orderKey(r) })).sort((x, y) => compareOrderKeys(x.key, y.key, desc)).map((e) => e.r);
    assert.deepEqual(sorted, [[null, 5], ['a', 3], ['A', 1], ['B', 2], ['b', 1]]);
  });

  it('leaves out the rows up to and including a next link key, case aside', () => {
    const last = orderKey(['Beta', 7]);
    const rows = [['beta', 7], ['BETA', 8], ['alpha', 9], ['gamma', 1], ['Beta', 6]];
    assert.deepEqual(rows.filter((r) => compareOrderKeys(orderKey(r), last, [false, false]) > 0), [['BETA', 8], ['gamma', 1]]);
  });
});
