/** The standard sales stages (seed table) and our reading of the V3 `salesStage` values. */
import assert from 'node:assert/strict';
import {
  salesStageFromApi, salesStageFromPercent, salesStagePercent, salesStageToApi, SALES_STAGES, UnknownEnumValueError,
} from '../../../core/model/index.js';

describe('sales stages', () => {
  it('have the seed percentages: Created 10, Accepted 10, Qualified 20, Developed 40, Proposed 60, Negotiated 80, Won 100', () => {
    assert.deepEqual(SALES_STAGES.map((s) => [s, salesStagePercent(s)]), [
      ['Created', 10], ['Accepted', 10], ['Qualified', 20], ['Developed', 40], ['Proposed', 60], ['Negotiated', 80], ['Won', 100],
    ]);
  });
  it('read the API values Qualify, Develop, Propose, Close as Qualified 20, Developed 40, Proposed 60, Negotiated 80', () => {
    assert.deepEqual(['Qualify', 'Develop', 'Propose', 'Close'].map(salesStageFromApi), ['Qualified', 'Developed', 'Proposed', 'Negotiated']);
    assert.deepEqual(['Qualified', 'Developed', 'Proposed', 'Negotiated'].map((s) => salesStageToApi(s as never)), ['Qualify', 'Develop', 'Propose', 'Close']);
  });
  it('have no API value for Created, Accepted and Won (status and substatus carry those)', () => {
    assert.equal(salesStageToApi('Created'), undefined);
    assert.equal(salesStageToApi('Won'), undefined);
  });
  it('convert the CSV percentage, using the direction for 10%', () => {
    assert.equal(salesStageFromPercent('40', 'outbound'), 'Developed');
    assert.equal(salesStageFromPercent(10, 'inbound'), 'Accepted');
    assert.equal(salesStageFromPercent('10', 'outbound'), 'Created');
    assert.equal(salesStageFromPercent('80%', 'outbound'), 'Negotiated');
  });
  it('refuse a percentage that is not in the table, and an unknown API value', () => {
    assert.throws(() => salesStageFromPercent('50', 'outbound'), UnknownEnumValueError);
    assert.throws(() => salesStageFromPercent('', 'outbound'), UnknownEnumValueError);
    assert.throws(() => salesStageFromApi('Closing'), UnknownEnumValueError);
  });
});
