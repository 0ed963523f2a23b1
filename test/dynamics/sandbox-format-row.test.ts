/**
 * The Dataverse sandbox's single-row formatting (format.ts `formatRow`, used by every write answered with
 * `return=representation` and every retrieve): its formatter is built once per table and `$select`, and
 * must still answer from the table's columns as they are now, and from the `$select` it is given.
 */
import assert from 'node:assert/strict';
import { SandboxClock } from '../../sandbox/common/clock.js';
import { formatRow, rowFormatter } from '../../sandbox/dataverse/format.js';
import { column } from '../../sandbox/dataverse/schema.js';
import { DataverseStore } from '../../sandbox/dataverse/store.js';

describe('Dataverse sandbox: formatRow', () => {
  it('answers each $select as asked, and a table column added or replaced after a first answer', () => {
    const store = new DataverseStore(new SandboxClock());
    const def = store.table('opportunity')!.def;
    const row = store.insert('opportunity', { name: 'Deal', estimatedvalue: 5, description: 'about' });
    const all = formatRow(def, row);
    assert.deepEqual(formatRow(def, row), all);
    assert.deepEqual(formatRow(def, row, []), all);
    assert.deepEqual(Object.keys(formatRow(def, row, ['name'])), ['@odata.etag', 'name', 'opportunityid']);
    assert.deepEqual(Object.keys(formatRow(def, row, ['description', 'name'])), ['@odata.etag', 'description', 'name', 'opportunityid']);
    assert.deepEqual(formatRow(def, row, ['name']), rowFormatter(def, ['name'])(row));

    store.addCustomColumn('opportunity', column('cosell_closedate', 'DateTime', { dateOnly: true }, true));
    const later = store.update('opportunity', String(row.opportunityid), { cosell_closedate: '2026-03-04T00:00:00Z' });
    assert.equal(formatRow(def, later).cosell_closedate, '2026-03-04');
    assert.deepEqual(formatRow(def, later), rowFormatter(def)(later));
    // Replaced (same name, another definition): no longer DateOnly.
    store.addCustomColumn('opportunity', column('cosell_closedate', 'DateTime', {}, true));
    assert.equal(formatRow(def, later).cosell_closedate, '2026-03-04T00:00:00Z');
    assert.equal(formatRow(def, later, ['cosell_closedate']).cosell_closedate, '2026-03-04T00:00:00Z');
  });
});
