import assert from 'node:assert/strict';
import { memberKey, readKeys, removedByMerge, solutionKey } from '../../connectors/related-sets.js';

describe('which child rows a set write may delete (related-sets.ts)', () => {
  const merged = new Set(['kept@x.example', 'added@x.example']);

  it('deletes a row the engine read and the merge dropped', () => {
    assert.equal(removedByMerge('dropped@x.example', merged, new Set(['kept@x.example', 'dropped@x.example'])), true);
  });

  it('keeps a row the engine never read (added after its read), though the merge does not hold it', () => {
    assert.equal(removedByMerge('seller-new@x.example', merged, new Set(['kept@x.example'])), false);
  });

  it('never deletes a row the merged set holds', () => {
    assert.equal(removedByMerge('kept@x.example', merged, new Set(['kept@x.example'])), false);
    assert.equal(removedByMerge('added@x.example', merged, undefined), false);
  });

  it('without a read, every row not in the merged set goes (as before)', () => {
    assert.equal(removedByMerge('other@x.example', merged, undefined), true);
  });

  it('matches emails and solution IDs without case', () => {
    assert.equal(memberKey('Robin.Presales@Partner.Example'), 'robin.presales@partner.example');
    assert.equal(solutionKey('SOL-1234-pqrs'), 'sol-1234-pqrs');
    assert.equal(memberKey(undefined), '');
  });

  it('builds the keys the engine read from asRead, matched as the merge matches them; none without a read', () => {
    const person = (email: string) => ({ firstName: 'A', lastName: 'B', phone: '', email });
    const asRead = { team: [person('Robin.Presales@Partner.Example'), person('kim@x.example')], solutions: [{ id: 'SOL-1234-PQRS', kind: 'own' as const }] };
    assert.deepEqual(readKeys(asRead, 'team'), new Set(['robin.presales@partner.example', 'kim@x.example']));
    assert.deepEqual(readKeys(asRead, 'solutions'), new Set(['sol-1234-pqrs']));
    assert.deepEqual(readKeys({ team: [], solutions: [] }, 'team'), new Set(), 'read, and empty: no row was seen');
    assert.equal(readKeys(undefined, 'solutions'), undefined);
    // Read keys feed removedByMerge: a row read and dropped by the merge goes, one added since stays.
    assert.equal(removedByMerge('kim@x.example', new Set(), readKeys(asRead, 'team')), true);
    assert.equal(removedByMerge('new@x.example', new Set(), readKeys(asRead, 'team')), false);
  });
});
