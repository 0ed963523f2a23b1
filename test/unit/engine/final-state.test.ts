/** What a closed record says about why it closed (core/engine/final-state.ts). */
import assert from 'node:assert/strict';
import { finalStateMessage, restatesFinalState } from '../../../core/engine/final-state.js';

describe('finalStateMessage', () => {
  it('names the reason once when Partner Center\'s text is the reason\'s own label', () => {
    assert.equal(finalStateMessage({ substatus: 'Lost', closeReason: 'chose-another-vendor', closeNotes: 'Customer chose another vendor' }), 'Lost in Partner Center (Customer chose another vendor).');
    assert.equal(finalStateMessage({ substatus: 'Declined', closeReason: 'not-a-customer', closeNotes: ' not a customer ' }), 'Declined in Partner Center (Not a customer): the opportunity is closed as lost.');
  });
  it('keeps notes that say more than the reason', () => {
    assert.equal(finalStateMessage({ substatus: 'Lost', closeReason: 'chose-another-vendor', closeNotes: 'Went with Acme' }), 'Lost in Partner Center (Customer chose another vendor: Went with Acme).');
    assert.equal(finalStateMessage({ substatus: 'Lost', closeNotes: 'Budget moved' }), 'Lost in Partner Center (Budget moved).');
  });
});

describe('restatesFinalState', () => {
  it('the Won stage on a deal Partner Center won, or no stage on a closed deal, restates the outcome; any other stage or outcome does not', () => {
    assert.equal(restatesFinalState('salesStage', {}, { substatus: 'Lost' }), true);
    assert.equal(restatesFinalState('salesStage', { salesStage: 'Won' }, { substatus: 'Won' }), true);
    assert.equal(restatesFinalState('salesStage', { salesStage: 'Won' }, { substatus: 'Lost' }), false);
    assert.equal(restatesFinalState('salesStage', { salesStage: 'Negotiated' }, { substatus: 'Won' }), false);
    assert.equal(restatesFinalState('value', { salesStage: 'Won' }, { substatus: 'Won' }), false);
    assert.equal(restatesFinalState('salesStage', { salesStage: 'Won' }, { substatus: 'Lost' }, true), true, 'the seller\'s Won, replaced by the loss this sync writes');
    assert.equal(restatesFinalState('value', {}, { substatus: 'Lost' }, true), false);
  });
});
