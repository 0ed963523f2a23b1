/** The other deals of an edited customer row are named per write, in the CRM's ID form, never the write's own deal. */
import assert from 'node:assert/strict';
import { addWriter, otherDealsOf, type CustomerWriter } from '../../connectors/shared-customers.js';

describe('otherDealsOf', () => {
  it('names each other opportunity once per write, and leaves out the one written through', () => {
    const rows = new Map<string, CustomerWriter[]>();
    const a = { key: 'w1', crmId: '006000000000001AAA' };
    const b = { key: 'w2', crmId: '006000000000002AAA' };
    addWriter(rows, 'acc1', a);
    addWriter(rows, 'acc1', b);
    const id15 = (id: string) => id.slice(0, 15);
    const shared = otherDealsOf([
      { writers: rows.get('acc1'), opportunityId: '006000000000001' },
      { writers: rows.get('acc1'), opportunityId: '006000000000002AAA' },
      { writers: rows.get('acc1'), opportunityId: '006000000000003AAA' },
      { writers: rows.get('acc1'), opportunityId: '006000000000003AAA' },
      { writers: undefined, opportunityId: '006000000000004AAA' },
    ], id15);
    assert.deepEqual([...shared], [
      ['w2', ['006000000000001', '006000000000003AAA']],
      ['w1', ['006000000000002AAA', '006000000000003AAA']],
    ]);
  });
});
