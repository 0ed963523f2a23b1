/**
 * `$batch`: multipart/mixed parsing and answering, change sets applied atomically, `Content-ID`
 * references (`$1`), at most 1,000 operations, and `Prefer: odata.continue-on-error` (without it the first
 * failure stops the batch, which then answers 400).
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api
 */
import { randomUUID } from 'node:crypto';
import { CODES, DataverseError, errorResponse, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { dispatch } from './api.js';
import { parsePrefer } from './query.js';
import type { DataverseStore } from './store.js';

export const MAX_BATCH_OPERATIONS = 1000;

interface HttpPart {
  contentId?: string;
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
}

type BatchItem = { kind: 'request'; part: HttpPart } | { kind: 'changeset'; parts: HttpPart[] };

const STATUS_TEXT: Record<number, string> = {
  200: 'OK', 201: 'Created', 204: 'No Content', 304: 'Not Modified', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 412: 'Precondition Failed', 429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export function boundaryOf(contentType: string | undefined): string | undefined {
  return /boundary="?([^";]+)"?/i.exec(contentType ?? '')?.[1];
}

/** Splits a multipart body into its parts (CRLF or LF line ends). */
function splitMultipart(body: string, boundary: string): string[] {
  const delimiter = `--${boundary}`;
  const pieces = body.split(delimiter);
  const parts: string[] = [];
  for (const piece of pieces.slice(1)) {
    if (piece.startsWith('--')) break;
    parts.push(piece.replace(/^\r?\n/, '').replace(/\r?\n$/, ''));
  }
  return parts;
}

function splitHead(text: string): { head: string[]; body: string } {
  const m = /\r?\n\r?\n/.exec(text);
  if (!m) return { head: text.split(/\r?\n/).filter(Boolean), body: '' };
  return { head: text.slice(0, m.index).split(/\r?\n/).filter(Boolean), body: text.slice(m.index + m[0].length) };
}

function headerMap(lines: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  return out;
}

function parseHttpPart(text: string): HttpPart {
  const outer = splitHead(text);
  const outerHeaders = headerMap(outer.head);
  const inner = splitHead(outer.body);
  const [requestLine = '', ...headerLines] = inner.head;
  const m = /^([A-Z]+)\s+(.+?)(\s+HTTP\/1\.1)?$/.exec(requestLine.trim());
  if (!m) throw new DataverseError(400, CODES.invalidArgument, `The batch part request line '${requestLine}' is not valid.`);
  return { contentId: outerHeaders['content-id'], method: m[1]!, url: m[2]!.replace(/ /g, '%20'), headers: headerMap(headerLines), body: inner.body.trim() };
}

export function parseBatch(body: string, boundary: string): BatchItem[] {
  return splitMultipart(body, boundary).map((part) => {
    const { head, body: content } = splitHead(part);
    const headers = headerMap(head);
    const inner = boundaryOf(headers['content-type']);
    if (inner && /multipart\/mixed/i.test(headers['content-type'] ?? '')) {
      return { kind: 'changeset', parts: splitMultipart(content, inner).map(parseHttpPart) };
    }
    return { kind: 'request', part: parseHttpPart(part) };
  });
}

function relativePath(url: string): { path: string; query: URLSearchParams } {
  const noOrigin = url.replace(/^https?:\/\/[^/]+/i, '');
  const [path = '', query = ''] = noOrigin.split('?');
  return { path: path.replace(/^\/?api\/data\/v9\.\d\//, '').replace(/^\//, ''), query: new URLSearchParams(query) };
}

/** The "METHOD path" of each operation in a `$batch` body (path relative to the Web API root), without running them. */
export function batchOperations(req: Pick<ApiRequest, 'headers' | 'body'>): { method: string; path: string }[] {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) return [];
  return parseBatch(req.body, boundary).flatMap((item) => (item.kind === 'request' ? [item.part] : item.parts)).map((part) => ({ method: part.method, path: relativePath(part.url).path }));
}

/**
 * One answer as an `application/http` part, as the pieces of its text: the batch's answer joins every piece
 * once at its end. Joined part by part, then again with the boundaries, a batch's answer (1,000 rows with
 * every column, or pages of 5,000) was copied three times; it was the Dataverse sandbox's largest item in an
 * initial sync's profile after the JSON itself.
 */
function serialize(res: ApiResponse, contentId?: string): string[] {
  const pieces = ['Content-Type: application/http\r\nContent-Transfer-Encoding: binary'];
  if (contentId) pieces.push(`\r\nContent-ID: ${contentId}`);
  pieces.push(`\r\n\r\n${`HTTP/1.1 ${res.status} ${STATUS_TEXT[res.status] ?? ''}`.trimEnd()}`);
  const headers = { ...res.headers };
  if (headers['OData-EntityId']) headers.Location = headers['OData-EntityId'];
  // A text answer (a $count) goes as it is, with its own Content-Type.
  if (res.body !== undefined && typeof res.body !== 'string') headers['Content-Type'] = 'application/json; odata.metadata=minimal';
  for (const [k, v] of Object.entries(headers)) pieces.push(`\r\n${k}: ${v}`);
  pieces.push('\r\n\r\n', res.body === undefined ? '' : typeof res.body === 'string' ? res.body : JSON.stringify(res.body));
  return pieces;
}

/** A change set's answers as one `multipart/mixed` part (pieces, as `serialize`). */
function changesetPart(answers: readonly string[][]): string[] {
  const cs = `changesetresponse_${randomUUID()}`;
  const pieces = [`Content-Type: multipart/mixed; boundary=${cs}\r\n\r\n`];
  answers.forEach((answer, i) => {
    pieces.push(i === 0 ? `--${cs}\r\n` : `\r\n--${cs}\r\n`);
    for (const piece of answer) pieces.push(piece);
  });
  pieces.push(`\r\n--${cs}--`);
  return pieces;
}

/** The batch's answer text: each part after a boundary line, the closing boundary last, joined once. */
function multipartText(parts: readonly string[][], boundary: string): string {
  const pieces: string[] = parts.length === 0 ? ['\r\n'] : [];
  for (const part of parts) {
    pieces.push(`--${boundary}\r\n`);
    for (const piece of part) pieces.push(piece);
    pieces.push('\r\n');
  }
  pieces.push(`--${boundary}--\r\n`);
  return pieces.join('');
}

export interface BatchContext {
  base: Omit<ApiRequest, 'method' | 'path' | 'query' | 'headers' | 'body'>;
  onOperation(method: string, path: string): void;
}

function run(store: DataverseStore, ctx: BatchContext, part: HttpPart, refs: Map<string, string>): ApiResponse {
  let url = part.url;
  const ref = /^\$(\w+)(.*)$/.exec(url);
  if (ref) url = (refs.get(ref[1]!) ?? url) + ref[2];
  const body = part.body.replace(/"\$(\w+)"/g, (whole, id: string) => (refs.has(id) ? JSON.stringify(refs.get(id)) : whole));
  const { path, query } = relativePath(url);
  ctx.onOperation(part.method, path);
  const res = dispatch(store, { ...ctx.base, method: part.method, path, query, headers: part.headers, body });
  // Operations run one after another (execute-batch-operations-using-web-api): a test may act between two.
  store.afterBatchOperation?.(part.method, path, query);
  const created = res.headers['OData-EntityId'];
  if (part.contentId && created) refs.set(part.contentId, created);
  return res;
}

export function executeBatch(store: DataverseStore, req: ApiRequest, ctx: BatchContext): ApiResponse {
  const boundary = boundaryOf(req.headers['content-type']);
  if (!boundary) throw new DataverseError(400, CODES.invalidArgument, 'The $batch request must have Content-Type multipart/mixed with a boundary.');
  const items = parseBatch(req.body, boundary);
  const count = items.reduce((n, item) => n + (item.kind === 'changeset' ? item.parts.length : 1), 0);
  if (count > MAX_BATCH_OPERATIONS) throw new DataverseError(400, CODES.invalidArgument, `The number of requests in the batch (${count}) exceeded the limit of ${MAX_BATCH_OPERATIONS}.`);
  const continueOnError = parsePrefer(req.headers.prefer).continueOnError;
  const responseBoundary = `batchresponse_${randomUUID()}`;
  const out: string[][] = [];
  let stopped = false;
  for (const item of items) {
    let failed = false;
    if (item.kind === 'request') {
      const res = run(store, ctx, item.part, new Map());
      out.push(serialize(res));
      failed = res.status >= 400;
    } else {
      const refs = new Map<string, string>();
      const answers: string[][] = [];
      let failure: string[] | undefined;
      store.begin();
      for (const part of item.parts) {
        if (part.method === 'GET') {
          failure = serialize(errorResponse(new DataverseError(400, CODES.invalidArgument, 'GET requests are not allowed inside a change set.')), part.contentId);
          break;
        }
        const res = run(store, ctx, part, refs);
        if (res.status >= 400) {
          failure = serialize(res, part.contentId);
          break;
        }
        answers.push(serialize(res, part.contentId));
      }
      if (failure) {
        store.rollback();
        out.push(failure);
        failed = true;
      } else {
        store.commit();
        out.push(changesetPart(answers));
      }
    }
    if (failed && !continueOnError) {
      stopped = true;
      break;
    }
  }
  const body = multipartText(out, responseBoundary);
  const headers: Record<string, string> = { ...ODATA_HEADERS, 'Content-Type': `multipart/mixed; boundary=${responseBoundary}` };
  if (continueOnError) headers['Preference-Applied'] = 'odata.continue-on-error';
  // "Without … odata.continue-on-error, the batch fails on the first request in the batch. The batch error
  // represents the error of the first failing request": HTTP/1.1 400 around the same multipart body.
  return { status: stopped ? 400 : 200, headers, body };
}
