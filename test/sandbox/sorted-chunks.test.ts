/**
 * The sandboxes' chunked sorted list (sandbox/common/sorted-chunks.ts), which the Dataverse row-version and
 * `modifiedon` indexes and the Salesforce SystemModstamp index keep: through inserts, removals, splits of
 * full chunks and emptied chunks it answers positions and slices exactly as one flat sorted array does.
 */
import assert from 'node:assert/strict';
import { seeded } from '../../sandbox/common/faults.js';
import { SortedChunks } from '../../sandbox/common/sorted-chunks.js';

interface Item {
  key: number;
  id: string;
}

const before = (a: Item, b: Item) => a.key < b.key || (a.key === b.key && a.id < b.id);
const sorted = (items: Item[]) => [...items].sort((a, b) => (before(a, b) ? -1 : before(b, a) ? 1 : 0));

describe('sandbox: a chunked sorted list answers as a flat sorted array', () => {
  it('keeps order, positions and slices through 6,000 random inserts and removals', () => {
    const random = seeded(13);
    const list = new SortedChunks<Item>(before);
    let model: Item[] = [];
    let next = 0;
    for (let step = 0; step < 6_000; step += 1) {
      // Mostly inserts (so chunks fill and split), a third removals (so chunks empty), keys that repeat.
      if (model.length > 0 && random() < 0.35) {
        const victim = model[Math.floor(random() * model.length)]!;
        assert.equal(list.remove({ ...victim }, (stored) => stored.id === victim.id), true);
        model = model.filter((item) => item !== victim);
      } else {
        const item = { key: Math.floor(random() * 400), id: `id-${String(next++).padStart(5, '0')}` };
        list.insert(item);
        model.push(item);
      }
      if (step % 500 === 0 || step === 5_999) {
        const expected = sorted(model);
        assert.equal(list.size, expected.length);
        assert.deepEqual(list.slice(0), expected);
        for (const key of [-1, 0, 17, 200, 399, 400]) {
          assert.equal(list.rank((item) => item.key >= key), expected.filter((item) => item.key < key).length);
          assert.equal(list.rank((item) => item.key > key), expected.filter((item) => item.key <= key).length);
        }
        const from = Math.floor(random() * expected.length);
        const to = from + Math.floor(random() * 900);
        assert.deepEqual(list.slice(from, to), expected.slice(from, to));
      }
    }
  });

  it('refuses to remove what it does not hold, and fills from unsorted items', () => {
    const list = new SortedChunks<Item>(before);
    const items = Array.from({ length: 1_500 }, (_, i) => ({ key: (i * 7919) % 1_000, id: `r${i}` }));
    list.fill([...items]);
    assert.deepEqual(list.slice(0), sorted(items));
    assert.equal(list.remove({ key: 5, id: 'nobody' }, (stored) => stored.id === 'nobody'), false);
    assert.equal(list.remove({ key: items[3]!.key, id: items[3]!.id }, (stored) => stored.id === 'someone else'), false);
    assert.equal(list.size, 1_500);
    list.insert({ key: 2_000, id: 'last' });
    assert.deepEqual(list.slice(1_500), [{ key: 2_000, id: 'last' }]);
  });
});
