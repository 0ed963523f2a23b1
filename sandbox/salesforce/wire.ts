/** Salesforce's JSON conventions on the wire. */
import type { ServerResponse } from 'node:http';
import { SfFault } from './errors.js';

/** `2024-05-01T10:00:00.000+0000`: always milliseconds, `+0000` without a colon. */
export function formatDatetime(iso: string): string {
  return new Date(iso).toISOString().replace('Z', '+0000');
}

export function sendSf(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
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
