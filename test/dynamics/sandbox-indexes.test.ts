/**
 * The Dataverse sandbox's indexes (row-index.ts, filter-plan.ts): through them a query looks at the rows
 * its filter can match, and change tracking reads versions after a token, and each answers exactly what a
 * scan of the whole table answers, through inserts, updates, deletes and rolled-back change sets.
 */
import assert from 'node:assert/strict';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { candidateIds } from '../../sandbox/dataverse/filter-plan.js';
import { evaluateFilter, parseFilter } from '../../sandbox/dataverse/odata-filter.js';
import { DataverseStore, type Row } from '../../sandbox/dataverse/store.js';

const FILTERS = [
  "name eq 'deal 7'",
  "name eq 'DEAL 7' or name eq 'deal 12'",
  'Microsoft.Dynamics.CRM.In(PropertyName=\'name\',PropertyValues=["deal 3","Deal 4","nobody"])',
  'Microsoft.Dynamics.CRM.In(PropertyName=\'estimatedvalue\',PropertyValues=["300","400"])',
  'estimatedvalue eq 500',
  'description eq null',
  "description eq null and name eq 'deal 9'",
  'modifiedon ge 2026-01-01T00:00:30Z',
  '2026-01-01T00:00:30Z gt modifiedon',
  'modifiedon lt 2026-01-01T00:00:10Z or modifiedon gt 2026-01-01T00:00:50Z',
  "modifiedon ge 2026-01-01T00:00:20Z and name eq 'deal 25'",
  "not (name eq 'deal 7')",
  "contains(name,'1')",
];

function scan(store: DataverseStore, filter: string): string[] {
  const node = parseFilter(filter);
  return [...store.table('opportunity')!.rows.values()].filter((r) => evaluateFilter(node, r)).map((r) => String(r.opportunityid)).sort();
}

function indexed(store: DataverseStore, filter: string): string[] {
  const node = parseFilter(filter);
  const state = store.table('opportunity')!;
  const ids = candidateIds(node, state.index);
  const rows = ids ? state.index.inTableOrder(ids) : [...state.rows.values()];
  return rows.filter((r) => evaluateFilter(node, r)).map((r) => String(r.opportunityid)).sort();
}

describe('Dataverse sandbox: indexes answer as a full scan does', () => {
  let clock: SandboxClock;
  let store: DataverseStore;

  beforeEach(() => {
    clock = new SandboxClock();
    clock.set('2026-01-01T00:00:00Z');
    store = new DataverseStore(clock);
    for (let i = 0; i < 60; i += 1) {
      clock.advance(1000);
      store.insert('opportunity', { name: `deal ${i}`, estimatedvalue: (i % 7) * 100, ...(i % 3 ? { description: `about ${i}` } : {}) }, `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`);
    }
  });

  function mutate(): void {
    const ids = [...store.table('opportunity')!.rows.keys()];
    clock.advance(1000);
    store.update('opportunity', ids[7]!, { name: 'Deal 12', estimatedvalue: 400 });
    store.update('opportunity', ids[9]!, { description: null });
    store.remove('opportunity', ids[3]!);
    store.begin();
    store.update('opportunity', ids[4]!, { name: 'deal 7' });
    store.remove('opportunity', ids[25]!);
    store.insert('opportunity', { name: 'deal 9' }, '00000000-0000-4000-8000-999999999999');
    store.rollback();
    store.insert('opportunity', { name: 'deal 25', description: null }, '00000000-0000-4000-8000-888888888888');
  }

  it('finds the same rows for eq, In, null, ranges on modifiedon, and, or, and falls back to a scan for not and contains', () => {
    for (const filter of FILTERS) assert.deepEqual(indexed(store, filter), scan(store, filter), filter);
    // A query builds its column's index on first use; later writes must keep it current.
    mutate();
    for (const filter of FILTERS) assert.deepEqual(indexed(store, filter), scan(store, filter), `${filter} (after writes)`);
    assert.equal(candidateIds(parseFilter("not (name eq 'deal 7')"), store.table('opportunity')!.index), undefined);
  });

  it('lists the rows changed after a version in version order, following updates, deletes and rollbacks', () => {
    const state = store.table('opportunity')!;
    const before = store.version;
    mutate();
    const expected = [...state.rows.values()].filter((r) => Number(r.versionnumber) > before - 30).sort((a, b) => Number(a.versionnumber) - Number(b.versionnumber));
    const got = state.index.changedAfter(before - 30, 1000).map((id) => state.rows.get(id) as Row);
    assert.deepEqual(got, expected);
    assert.deepEqual(state.index.changedAfter(before - 30, 3), expected.slice(0, 3).map((r) => String(r.opportunityid)));
  });

  it('returns related rows in the order the table holds them', () => {
    const state = store.table('opportunity')!;
    const ids = [...state.rows.keys()];
    assert.deepEqual(state.index.inTableOrder([ids[5]!, ids[2]!, ids[40]!, ids[2]!]).map((r) => r.opportunityid), [ids[2], ids[5], ids[40]]);
  });

  it('returns related rows in table order, as they are now, after updates, deletes, re-inserts and rollbacks', () => {
    const state = store.table('opportunity')!;
    const before = [...state.rows.keys()];
    mutate();
    // A row deleted and rolled back in a change set goes back at the end of the table, in the Map and the index alike.
    store.begin();
    store.remove('opportunity', before[0]!);
    store.rollback();
    const asked = [...before, '00000000-0000-4000-8000-888888888888', 'no-such-row'].reverse();
    asked.push(before[10]!, before[3]!);
    assert.deepEqual(state.index.inTableOrder(asked), [...state.rows.values()]);
    assert.equal(state.index.inTableOrder(asked).at(-1), state.rows.get(before[0]!));
    assert.equal(state.index.inTableOrder([before[7]!])[0]!.name, 'Deal 12');
  });
});
