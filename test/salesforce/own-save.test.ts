import assert from 'node:assert/strict';
import { changedBesidesSave } from '../../connectors/salesforce/own-save.js';

const before = {
  attributes: { type: 'Opportunity' }, Id: '006000000000001AAA', SystemModstamp: '2026-12-06T10:00:00.000+0000', LastModifiedDate: '2026-12-06T10:00:00.000+0000',
  Name: 'Contoso', Amount: 100, StageName: 'Prospecting', Probability: 10, IsClosed: false, IsWon: false, ForecastCategoryName: 'Pipeline',
  Description: 'old notes', NextStep: null, Owner: { attributes: { type: 'User' }, Email: 'seller@contoso.example' },
};
const saved = { ...before, SystemModstamp: '2026-12-06T10:05:00.000+0000', LastModifiedDate: '2026-12-06T10:05:00.000+0000' };

describe('changedBesidesSave (Salesforce): the row after a save is the connector\'s own only if nothing else moved', () => {
  it('the values sent and the audit fields the save moves: nothing else', () => {
    assert.deepEqual(changedBesidesSave(before, { Name: 'Contoso expansion' }, { ...saved, Name: 'Contoso expansion' }), []);
  });

  it('fields Salesforce derives from the stage or the amount sent are the save\'s own', () => {
    const after = { ...saved, StageName: 'Closed Won', Probability: 100, IsClosed: true, IsWon: true, ForecastCategoryName: 'Closed' };
    assert.deepEqual(changedBesidesSave(before, { StageName: 'Closed Won' }, after), []);
    assert.deepEqual(changedBesidesSave({ ...before, CloseDate: '2027-03-01' }, { StageName: 'Closed Won' }, { ...after, CloseDate: '2026-12-06' }), [], 'a won stage moves a future close date to today');
    assert.deepEqual(changedBesidesSave({ ...before, ExpectedRevenue: 10 }, { Amount: 200 }, { ...saved, Amount: 200, ExpectedRevenue: 20 }), []);
  });

  it('a field not sent that changed between the reads: a seller\'s save committed in between', () => {
    assert.deepEqual(changedBesidesSave(before, { Name: 'Contoso expansion' }, { ...saved, Name: 'Contoso expansion', Description: 'seller notes' }), ['Description']);
    assert.deepEqual(changedBesidesSave(before, { Name: 'x' }, { ...saved, Name: 'x', NextStep: 'Call' }), ['NextStep']);
  });

  it('a derived field moved when what it derives from was not sent is someone else\'s (a seller\'s stage edit)', () => {
    assert.deepEqual(changedBesidesSave(before, { Name: 'x' }, { ...saved, Name: 'x', Probability: 50 }), ['Probability']);
  });

  it('a related row read through a reference (the owner\'s email) changed, unless its reference was sent', () => {
    const after = { ...saved, Owner: { attributes: { type: 'User', url: '/x' }, Email: 'other@contoso.example' } };
    assert.deepEqual(changedBesidesSave(before, { Name: 'Contoso' }, { ...after, Name: 'Contoso' }), ['Owner']);
    assert.deepEqual(changedBesidesSave(before, { OwnerId: '005000000000002AAA' }, after), []);
    assert.deepEqual(changedBesidesSave(before, { Name: 'Contoso' }, { ...saved, Owner: { attributes: { type: 'User', url: '/y' }, Email: 'seller@contoso.example' } }), [], 'attributes are not content');
  });

  it('names compare without case; null and a missing value are the same', () => {
    assert.deepEqual(changedBesidesSave(before, { name: 'y', description: 'z' }, { ...saved, Name: 'y', Description: 'z' }), []);
    assert.deepEqual(changedBesidesSave({ ...before, NextStep: undefined }, { Name: 'x' }, { ...saved, Name: 'x' }), []);
  });

  it('without the row before the save nothing can be told apart', () => {
    assert.deepEqual(changedBesidesSave(undefined, { Name: 'x' }, saved), ['*']);
  });
});
