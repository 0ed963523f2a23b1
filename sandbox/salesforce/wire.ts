/** Salesforce's JSON conventions on the wire. */
import type { ServerResponse } from 'node:http';
import { SfFault } from './errors.js';

/**
 * A stored datetime that is already `toISOString()`'s own form, with a day every month has, an hour below 24
 * and minutes and seconds below 60: Date would give it back unchanged, so it needs no parsing (a query page
 * formats thousands of them). Anything else goes through Date, which normalises it (30 February → 1 March).
 */
const PLAIN_ISO = /^\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|1\d|2[0-8])T(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

/** `2024-05-01T10:00:00.000+0000`: always milliseconds, `+0000` without a colon. */
export function formatDatetime(iso: string): string {
  if (PLAIN_ISO.test(iso)) return `${iso.slice(0, -1)}+0000`;
  return new Date(iso).toISOString().replace('Z', '+0000');
}

/**
 * Who wants the value a route answers with, beside its text: a Composite request keeps the answers a later
 * subrequest refers to (`@{more0.nextRecordsUrl}`) as values, instead of parsing a 2,000-row page's text
 * back to read one member (composite-request.ts). A route answers with a value it built for the answer
 * (projected rows, results), never a stored record it goes on changing, so the value reads as its text does.
 */
const sentValueTaps = new WeakMap<ServerResponse, (body: unknown) => void>();

export function tapSentValue(res: ServerResponse, tap: (body: unknown) => void): void {
  sentValueTaps.set(res, tap);
}

export function sendSf(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  sentValueTaps.get(res)?.(body);
  sendSfJson(res, status, body === undefined ? '' : JSON.stringify(body), headers);
}

/** Sends JSON text already written (a Composite answer assembled from its subrequests' texts). */
export function sendSfJson(res: ServerResponse, status: number, text: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json;charset=UTF-8', ...headers });
  res.end(text);
}

export function sendFault(res: ServerResponse, fault: SfFault, headers: Record<string, string> = {}): void {
  sendSf(res, fault.status, fault.body(), headers);
}
