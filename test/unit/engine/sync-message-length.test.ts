/**
 * A Salesforce sync message longer than its 255-character field is cut between words and says where the
 * whole message is, so a rule code is never shown half (a seller read `[visibility.cannot_with…`).
 */
import assert from 'node:assert/strict';
import { SYNC_MESSAGE_LENGTH } from '../../../mappings/custom-fields.salesforce.js';
import { MESSAGE_CONTINUES, shortenAtWord } from '../../../core/engine/shorten.js';
import { STATUS_FIELDS } from '../../../mappings/fields.salesforce.js';

const toSalesforce = STATUS_FIELDS.find((f) => f.status === 'message')!.toSalesforce;

describe('the sync message on a Salesforce record', () => {
  const long = `${'Partner Center refused the change because the deal is shared with other partners. '.repeat(3)}[visibility.cannot_withdraw]`;

  it('is cut at a word boundary within the field and ends by saying where the rest is', () => {
    const written = toSalesforce(long) as string;
    assert.ok(written.length <= SYNC_MESSAGE_LENGTH, `${written.length} characters`);
    assert.ok(written.endsWith(`…${MESSAGE_CONTINUES}`), written);
    const kept = written.slice(0, -(`…${MESSAGE_CONTINUES}`.length));
    assert.ok(long.startsWith(kept), 'the start of the message, unchanged');
    assert.ok(long[kept.length] === ' ' || long[kept.length] === undefined, `cut between words, not inside one: "${kept.slice(-20)}|${long.slice(kept.length, kept.length + 10)}"`);
  });

  it('is written whole when it fits, and cleared when empty', () => {
    assert.equal(toSalesforce('Synced.'), 'Synced.');
    assert.equal(toSalesforce(''), null);
  });

  it('falls back to a plain cut for one long word', () => {
    const word = 'x'.repeat(400);
    const cut = shortenAtWord(word, 100, MESSAGE_CONTINUES);
    assert.equal(cut.length, 100);
    assert.ok(cut.endsWith('…'));
  });
});
