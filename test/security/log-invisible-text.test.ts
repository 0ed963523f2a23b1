/**
 * Seller-entered text in a log line cannot reorder or rewrite what an admin reads in a terminal: JSON lines
 * (files, pipes) carry bidi controls, DEL/C1 controls and invisible characters as `\u` escapes, stay valid
 * JSON and parse back to exactly what was logged; the terminal's pretty lines show every control as a visible
 * escape (pino-pretty parses the JSON again and printed strings raw, escape sequences included).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger, logFileOf, terminalLogger, type Logger } from '../../core/logger.js';
import { escapeInvisibles, visibleEscapes } from '../../core/log-line-escapes.js';

/** A deal name holding a right-to-left override, an isolate, a mark, a zero-width space, DEL, CSI (C1) and a line separator. */
const TRICKY = 'Contoso \u202ecod.exe\u202c \u2066x\u2069 \u200fy\u200b z\u007f\u009b2J\u2028end';
/** What a terminal acts on or hides, raw. */
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]/;

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  return { stream: new Writable({ write(chunk: Buffer, _encoding, done) { chunks.push(chunk.toString('utf8')); done(); } }), text: () => chunks.join('') };
}

function logTricky(logger: Logger): void {
  logger.warn({ deal: TRICKY, nested: { note: TRICKY } }, `deal ${TRICKY} refused \u001b]0;owned\u0007`);
  logger.child({ referral: TRICKY }).warn('child line');
}

function assertJsonLines(text: string): void {
  const lines = text.split('\n').filter(Boolean);
  assert.equal(lines.length, 2);
  for (const line of lines) assert.doesNotMatch(line, RAW_CONTROL, line);
  const [first, second] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  assert.equal(first!.deal, TRICKY, 'lossless');
  assert.deepEqual(first!.nested, { note: TRICKY });
  assert.equal(first!.msg, `deal ${TRICKY} refused \u001b]0;owned\u0007`);
  assert.equal(second!.referral, TRICKY);
}

describe('log lines and invisible characters', () => {
  it('JSON lines to a stream escape them, stay valid JSON and parse back to what was logged', () => {
    const out = sink();
    logTricky(createLogger({ level: 'info', destination: out.stream }));
    assertJsonLines(out.text());
  });

  it('the log file gets the same lines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cosell-log-invisible-'));
    try {
      const file = join(dir, 'cosell.log');
      const logger = createLogger({ level: 'info', file });
      logTricky(logger);
      logFileOf(logger)!.close();
      assertJsonLines(readFileSync(file, 'utf8'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the terminal's lines show each control as a visible escape, in the message and the fields", () => {
    const out = sink();
    logTricky(terminalLogger('info', out.stream, false));
    const text = out.text();
    assert.doesNotMatch(text, RAW_CONTROL, JSON.stringify(text));
    assert.match(text, /deal Contoso \\u202ecod\.exe\\u202c .*refused \\u001b\]0;owned\\u0007/);
    assert.match(text, /"deal":"Contoso \\u202ecod\.exe/, 'the fields, as JSON');
    assert.match(text, /child line/);
  });

  it("a line feed in the terminal's message is shown as \\n: a logged value cannot start a line that reads as a log line of its own", () => {
    const out = sink();
    const logger = terminalLogger('info', out.stream, false);
    logger.warn({ deal: 'Contoso\nERROR: forged in a field' }, 'renamed deal Contoso\nERROR: forged in the message');
    logger.info(42 as unknown as string);
    const lines = out.text().split('\n').filter(Boolean);
    assert.deepEqual(lines, ['WARN: renamed deal Contoso\\nERROR: forged in the message {"deal":"Contoso\\nERROR: forged in a field"}', 'INFO: 42']);
  });

  it('an escaped backslash before text that looks like an escape stays text', () => {
    // The JSON of the string `\u001b` (a backslash and five letters) and of `\` followed by ESC.
    assert.equal(visibleEscapes(JSON.stringify('\\u001b')), JSON.stringify('\\u001b'));
    assert.equal(JSON.parse(visibleEscapes(JSON.stringify('\\\u001b\r'))), '\\\\u001b\\r');
    assert.equal(escapeInvisibles('{"a":"plain ascii and é"}'), '{"a":"plain ascii and é"}');
  });
});
