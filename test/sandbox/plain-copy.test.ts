/**
 * The sandboxes' JSON deep copy (sandbox/common/plain-copy.ts) and the fast-layout copy of a stored record
 * (sandbox/common/fast-layout.ts): a copy of an object with more properties than V8 keeps in its fast layout
 * is made again by spreading; it must still be what structuredClone gives: the same keys in the same order,
 * `undefined` members and a `__proto__` member kept as members, nested values copied, not shared.
 */
import assert from 'node:assert/strict';
import { fastLayout } from '../../sandbox/common/fast-layout.js';
import { copyPlain } from '../../sandbox/common/plain-copy.js';

function wide(count: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < count; i += 1) out[`field${i}`] = i % 3 === 0 ? { nested: [i, `v${i}`] } : i % 3 === 1 ? `text ${i}` : undefined;
  Object.defineProperty(out, '__proto__', { value: { member: true }, enumerable: true, writable: true, configurable: true });
  return out;
}

describe('sandbox plain copy', () => {
  for (const count of [3, 16, 17, 80]) {
    it(`copies an object of ${count} properties as structuredClone does, keys in order, nothing shared`, () => {
      const source = wide(count);
      const copy = copyPlain(source);
      assert.deepEqual(Object.keys(copy), Object.keys(source));
      assert.deepStrictEqual(copy, structuredClone(source));
      assert.equal(Object.getPrototypeOf(copy), Object.prototype);
      assert.ok(Object.prototype.hasOwnProperty.call(copy, '__proto__'));
      assert.ok('field2' in copy && copy.field2 === undefined);
      assert.notEqual(copy.field0, source.field0);
      (copy.field0 as { nested: unknown[] }).nested.push('changed');
      assert.deepEqual((source.field0 as { nested: unknown[] }).nested, [0, 'v0']);
    });
  }

  it('fastLayout keeps the keys, their order and the values (shared: a shallow copy)', () => {
    const source = wide(40);
    const copy = fastLayout(source);
    assert.notEqual(copy, source);
    assert.deepEqual(Object.keys(copy), Object.keys(source));
    for (const key of Object.keys(source)) assert.equal(copy[key], source[key]);
    assert.equal(Object.getPrototypeOf(copy), Object.prototype);
  });
});
