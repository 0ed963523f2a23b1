/** The progress display: only on a terminal, only once work has gone on for a while, and cleared at the end. */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { progressDisplay } from '../../../core/cli/progress.js';
import { syncProgressDisplay } from '../../../core/cli/sync-progress.js';

function fakeStream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  let written = '';
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      written += chunk.toString();
      callback();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, { isTTY, columns: 120, cursorTo: () => true, clearLine: () => true, moveCursor: () => true, text: () => written });
  return stream;
}

const view = { format: 'work {phase} {value}/{total}', render: (p: { done: number }) => ({ value: p.done, total: 10, payload: { phase: 'check' } }) };

describe('progress display', () => {
  it('writes nothing when standard error is not a terminal (cron, CI, pipes)', () => {
    const stream = fakeStream(false);
    const display = progressDisplay(view, stream, 0);
    display.update({ done: 3 });
    display.stop();
    assert.equal(stream.text(), '');
  });

  it('on a terminal, stays quiet while the work is quick, then shows the latest state once the delay has passed', async () => {
    const stream = fakeStream(true);
    const display = progressDisplay(view, stream, 40);
    display.update({ done: 1 });
    assert.equal(stream.text(), '', 'nothing before the delay');
    await new Promise((resolve) => setTimeout(resolve, 80));
    assert.match(stream.text(), /work check 1\/10/, 'shown when the delay ends, even without a new update');
    display.update({ done: 7 });
    display.stop();
    assert.match(stream.text(), /work check 7\/10/);
  });

  it('a sync shows the side it reads, the page, and the records read and written', () => {
    const stream = fakeStream(true);
    const display = syncProgressDisplay(stream);
    display.stop();
    const shown = progressDisplay(
      { format: 'Syncing: {phase}, page {pages} | {read} records read, {written} written', render: (p: { pages: number }) => ({ value: p.pages, total: 0, payload: { phase: 'CRM changes', pages: p.pages, read: 2000, written: 12 } }) },
      stream,
      0,
    );
    shown.update({ pages: 3 });
    shown.stop();
    assert.match(stream.text(), /Syncing: CRM changes, page 3 \| 2000 records read, 12 written/);
  });
});

describe('terminal output', () => {
  it('tables strip control characters and bidi overrides from cells (remote text cannot rewrite the screen)', async () => {
    const { table } = await import('../../../core/cli/output.js');
    const out = table([['name', 'detail'], ['Deal\u001b[2J', 'ok\u202eevil']]);
    assert.ok(!out.includes('\u001b') && !out.includes('\u202e'), out);
    assert.match(out, /Deal\[2J +okevil/);
  });
});
