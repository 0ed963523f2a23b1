/**
 * Builds `$batch` request bodies and reads their answers (pure, no I/O).
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { randomUUID } from 'node:crypto';

export interface BatchOperation {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Relative to the service root (`opportunities(…)`), or a `$n` Content-ID reference. */
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  contentId?: string;
}

export type BatchEntry = { kind: 'operation'; operation: BatchOperation } | { kind: 'changeset'; operations: BatchOperation[] };

export interface PartResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
  contentId?: string;
}

/** What came back for one entry: the operation's answer, or a change set's answers (one part when it failed). */
export type EntryResponse = { kind: 'operation'; response: PartResponse } | { kind: 'changeset'; responses: PartResponse[] };

export const operationCount = (entries: readonly BatchEntry[]): number =>
  entries.reduce((n, e) => n + (e.kind === 'changeset' ? e.operations.length : 1), 0);

function operationText(op: BatchOperation, serviceRoot: string): string {
  const url = op.url.startsWith('$') ? op.url : `${serviceRoot}${op.url}`;
  const lines = ['Content-Type: application/http', 'Content-Transfer-Encoding: binary'];
  if (op.contentId) lines.push(`Content-ID: ${op.contentId}`);
  lines.push('', `${op.method} ${url} HTTP/1.1`);
  const headers: Record<string, string> = { Accept: 'application/json', ...op.headers };
  if (op.body !== undefined) headers['Content-Type'] = 'application/json; type=entry';
  for (const [k, v] of Object.entries(headers)) lines.push(`${k}: ${v}`);
  lines.push('', op.body === undefined ? '' : JSON.stringify(op.body));
  return lines.join('\r\n');
}

export function buildBatch(entries: readonly BatchEntry[], serviceRoot: string): { contentType: string; body: string } {
  const boundary = `batch_${randomUUID()}`;
  const parts = entries.map((entry) => {
    if (entry.kind === 'operation') return operationText(entry.operation, serviceRoot);
    const cs = `changeset_${randomUUID()}`;
    const inner = entry.operations.map((op) => `--${cs}\r\n${operationText(op, serviceRoot)}`).join('\r\n');
    return `Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n${inner}\r\n--${cs}--`;
  });
  return { contentType: `multipart/mixed; boundary=${boundary}`, body: `${parts.map((p) => `--${boundary}\r\n${p}`).join('\r\n')}\r\n--${boundary}--\r\n` };
}

export const boundaryOf = (contentType: string | undefined) => /boundary="?([^";\s]+)"?/i.exec(contentType ?? '')?.[1];

function split(body: string, boundary: string): string[] {
  // Slices of the body, not copies (a regular-expression replace per part copied every part once more).
  // V8 keeps a slice's whole parent alive: a part (or a header value of it) holds the whole body (15 MB for
  // a 5,000-row change page) for as long as it is kept, so a part is let go once read (see `body` below).
  const out: string[] = [];
  const pieces = body.split(`--${boundary}`);
  for (let k = 1; k < pieces.length; k += 1) {
    const piece = pieces[k]!;
    if (piece.startsWith('--')) break;
    const start = piece.startsWith('\r\n') ? 2 : piece.startsWith('\n') ? 1 : 0;
    const end = piece.endsWith('\r\n') ? piece.length - 2 : piece.endsWith('\n') ? piece.length - 1 : piece.length;
    out.push(piece.slice(start, Math.max(start, end)));
  }
  return out;
}

export function head(text: string): { headers: Record<string, string>; first: string; rest: string } {
  const m = /\r?\n\r?\n/.exec(text);
  const top = m ? text.slice(0, m.index) : text;
  const rest = m ? text.slice(m.index + m[0].length) : '';
  const [first = '', ...lines] = top.split(/\r?\n/);
  const headers: Record<string, string> = {};
  for (const line of [first, ...lines]) {
    const i = line.indexOf(':');
    if (i > 0 && !/^HTTP\//.test(line)) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return { headers, first, rest };
}

function parseHttp(part: string): PartResponse {
  const outer = head(part);
  const inner = head(outer.rest);
  const status = Number(/^HTTP\/1\.1\s+(\d{3})/.exec(inner.first)?.[1] ?? 0);
  let text: string | undefined = inner.rest.trim();
  // Parsed when first asked for, not all at once: a reader that maps each part and lets it go holds one
  // part's rows at a time (a 5,000-row page is twenty parts of 250 expanded rows, about 13 MB of JSON).
  // The text (a slice of the whole answer) goes once parsed: a part kept for later holds its rows, not the
  // answer; a caller keeping an answer unread keeps the whole answer (see `parsedNow` in batch-reads.ts).
  let parsed: { body: unknown } | undefined;
  return {
    status,
    headers: inner.headers,
    get body() {
      if (!parsed) {
        parsed = { body: parseBody(text!) };
        text = undefined;
      }
      return parsed.body;
    },
    ...(outer.headers['content-id'] ? { contentId: outer.headers['content-id'] } : {}),
  };
}

function parseBody(text: string): unknown {
  try {
    return text ? JSON.parse(text) : undefined;
  } catch {
    return text;
  }
}

/**
 * Reads a `$batch` answer's whole text; entries that were not executed (processing stopped) are absent. The
 * client reads answers as they arrive instead (batch-answer-reader.ts), and gives the same entries.
 */
export function parseBatchResponse(body: string, contentType: string | undefined): EntryResponse[] {
  const boundary = boundaryOf(contentType);
  if (!boundary) throw new Error('The $batch answer has no multipart boundary.');
  return split(body, boundary).map(entryOf);
}

/** One part of a `$batch` answer (the text between two boundaries, without their line breaks): an operation's answer or a change set's. */
export function entryOf(part: string): EntryResponse {
  const { headers, rest } = head(part);
  const inner = boundaryOf(headers['content-type']);
  if (inner && /multipart\/mixed/i.test(headers['content-type'] ?? '')) return { kind: 'changeset', responses: split(rest, inner).map(parseHttp) };
  return { kind: 'operation', response: parseHttp(part) };
}
