/**
 * Refused webhook deliveries in the log: at most a few lines a minute for each reason. Anyone can post to
 * the webhook URL, and each refusal used to be one warning line (about 240 bytes): a flood of unsigned
 * posts filled the disk at the flood's rate. Every refusal is still counted in
 * `cosell_webhook_events_total{result="refused",reason}`; a line after a quiet spell says how many of its
 * reason went unlogged before it (`unlogged`).
 */
import type { Logger } from '../logger.js';

/** Lines per reason per minute. */
export const REFUSAL_LINES_PER_MINUTE = 10;

interface Window {
  startedMs: number;
  logged: number;
  unlogged: number;
}

/** Whether a refusal of `reason` at `nowMs` gets a line, and how many went unlogged before it. Mutates `windows` only. */
export function admitRefusal(windows: Map<string, Window>, reason: string, nowMs: number): { log: boolean; unlogged: number } {
  let window = windows.get(reason);
  if (!window || nowMs - window.startedMs >= 60_000) {
    window = { startedMs: nowMs, logged: 0, unlogged: window?.unlogged ?? 0 };
    windows.set(reason, window);
  }
  if (window.logged >= REFUSAL_LINES_PER_MINUTE) {
    window.unlogged += 1;
    return { log: false, unlogged: 0 };
  }
  const unlogged = window.unlogged;
  window.logged += 1;
  window.unlogged = 0;
  return { log: true, unlogged };
}

export interface Refusal {
  reason: string;
  detail: string;
  from: string;
  tenant?: string;
}

/** Logs refusals through `log`, a few a minute per reason (the reasons are a fixed set of codes). */
export function refusalLogger(log: Logger, nowMs: () => number = Date.now): (refusal: Refusal) => void {
  const windows = new Map<string, Window>();
  return (refusal) => {
    const { log: write, unlogged } = admitRefusal(windows, refusal.reason, nowMs());
    if (write) log.warn({ ...refusal, ...(unlogged > 0 ? { unlogged } : {}) }, 'webhook delivery refused');
  };
}
