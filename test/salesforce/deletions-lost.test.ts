/**
 * The pure decision behind `deletionsIncomplete` on Salesforce (connectors/salesforce/deletion-feed.ts):
 * a getDeleted answer that cannot list every deletion of its window, because Salesforce refused the window
 * (INVALID_REPLICATION_DATE) or purged its delete log after the window's start (`earliestDateAvailable`).
 */
import assert from 'node:assert/strict';
import { deletionsLost, type DeletionAnswer } from '../../connectors/salesforce/deletion-feed.js';

const answered = (earliestDateAvailable: string): DeletionAnswer => ({ ok: true, body: { deletedRecords: [], earliestDateAvailable, latestDateCovered: '2026-03-10T12:00:00.000+0000' } });
const refused = (serviceCode: string): DeletionAnswer => ({ ok: false, serviceCode, error: new Error(serviceCode) });
const START = '2026-03-10T11:00:00.000Z';

describe('Salesforce deletions a getDeleted answer can no longer list (pure)', () => {
  it('none when the log reaches back before the window (the usual answer)', () => {
    assert.equal(deletionsLost(START, answered('2026-02-23T00:00:00.000+0000')), undefined);
    assert.equal(deletionsLost(START, answered('2026-03-10T11:00:00.000+0000')), undefined, 'purged up to the start: nothing in the window is lost');
  });

  it('purged when earliestDateAvailable is later than the window start, compared to the minute Salesforce reads', () => {
    assert.equal(deletionsLost(START, answered('2026-03-10T11:00:01.000+0000')), 'purged');
    assert.equal(deletionsLost('2026-03-10T11:00:45.000Z', answered('2026-03-10T11:00:30.000+0000')), 'purged', 'the window Salesforce used began at 11:00');
  });

  it('refused on INVALID_REPLICATION_DATE, and not on other errors (those are thrown by the feed)', () => {
    assert.equal(deletionsLost(START, refused('INVALID_REPLICATION_DATE')), 'refused');
    assert.equal(deletionsLost(START, refused('REQUEST_LIMIT_EXCEEDED')), undefined);
  });
});
