/**
 * A log line as it is written, safe to read in a terminal. Seller- and service-entered text reaches log
 * lines (deal names, remote messages); JSON.stringify escapes C0 controls but leaves DEL, C1 controls and
 * Unicode's invisible formatting characters raw, so a deal name holding a bidi override reordered what an
 * admin read with `less` or `tail` ("Trojan Source"), and pino-pretty, which parses the line again to show
 * it on a terminal, printed even escape sequences raw.
 */

/**
 * Characters a terminal acts on or shows as nothing, that JSON.stringify leaves raw: DEL and C1 controls
 * (0x9B is CSI on some terminals), bidi marks, embeddings, overrides and isolates, zero-width and invisible
 * formatting characters, line and paragraph separators, the byte order mark, interlinear annotations.
 */
const INVISIBLE_CLASS = String.raw`\u007f-\u009f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ufff9-\ufffb`;
const INVISIBLE = new RegExp(`[${INVISIBLE_CLASS}]`, 'g');
const IS_INVISIBLE = new RegExp(`^[${INVISIBLE_CLASS}]$`);

const escapeOf = (code: number) => `\\u${code.toString(16).padStart(4, '0')}`;

/**
 * A serialised JSON log line with those characters written as `\uXXXX` escapes. JSON's own syntax is ASCII,
 * so they can only stand inside strings, where the escape means the same character: the line stays valid
 * JSON and a log tool parses back exactly what was logged. Pure; a line without them is returned as it is.
 */
export function escapeInvisibles(line: string): string {
  return line.replace(INVISIBLE, (char) => escapeOf(char.charCodeAt(0)));
}

/** Whether a character, given by its code, should be shown as its escape on a terminal: controls but tab and line feed, and the invisibles. */
function shownEscaped(code: number): boolean {
  return (code < 0x20 && code !== 0x09 && code !== 0x0a) || IS_INVISIBLE.test(String.fromCharCode(code));
}

/**
 * A JSON line, as `escapeInvisibles` leaves it, for pino-pretty, which parses it and prints the strings raw:
 * each escape of a control or invisible character (`\u001b`, `\u202e`, `\r`, `\b`, `\f`) gets its
 * backslash escaped, so the parsed string holds the visible text `\u001b` instead of the character. Every
 * backslash in a JSON string starts an escape, so the escapes are read left to right (`\\u001b` is an
 * escaped backslash followed by text, and stays so). Pure.
 */
export function visibleEscapes(line: string): string {
  return escapeInvisibles(line).replace(/\\(u[0-9a-fA-F]{4}|[^u])/g, (match, body: string) => {
    if (body === 'b' || body === 'f' || body === 'r') return `\\${match}`;
    return body.length === 5 && shownEscaped(parseInt(body.slice(1), 16)) ? `\\${match}` : match;
  });
}

/**
 * The message of a line as pino-pretty shows it on a terminal (its `messageFormat`): a line feed as the
 * visible `\n`. pino-pretty prints the message raw, so a deal name or remote message holding a line feed
 * started a line of its own, which could read as another log line ("WARN: …"); JSON lines escape it, and the
 * fields beside the message are printed as JSON. A message that is no string, number or boolean is none.
 */
export function oneLineMessage(log: Record<string, unknown>, messageKey: string): string {
  const message = log[messageKey];
  if (typeof message === 'string') return message.replace(/\n/g, '\\n');
  return typeof message === 'number' || typeof message === 'boolean' ? String(message) : '';
}
