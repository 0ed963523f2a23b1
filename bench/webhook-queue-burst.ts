/**
 * The cost of storing a burst of webhook events for distinct referrals (a measurement script, not a test):
 * `npx tsx bench/webhook-queue-burst.ts [N …]`. For each N, a fresh SQLite state file and an `EventQueue`
 * on it take N events naming N distinct referrals, as the webhook route stores them before each 200; then a
 * restart reads them back. Prints the time per N, the bytes of pending-referral state written, and the read.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventQueue } from '../core/serve/event-queue.js';
import { openSqliteStore, type StateStore } from '../core/store/index.js';

const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);

/** Counts the bytes of pending-referral state each write carries (the old layout's meta value, or the rows). */
function measured(store: StateStore): { bytes: () => number } {
  let bytes = 0;
  const putMeta = store.putMeta.bind(store);
  store.putMeta = (key, value, at) => {
    if (key.startsWith('serve.pending')) bytes += JSON.stringify(value).length;
    putMeta(key, value, at);
  };
  const rows = (store as { pendingReferrals?: { put(entry: unknown, at: string): void } }).pendingReferrals;
  if (rows) {
    const put = rows.put.bind(rows);
    rows.put = (entry, at) => {
      bytes += JSON.stringify(entry).length;
      put(entry, at);
    };
  }
  return { bytes: () => bytes };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-queue-burst-'));
try {
  for (const n of sizes.length ? sizes : [1000, 2000, 4000]) {
    const file = path.join(dir, `state-${n}.db`);
    const store = openSqliteStore(file);
    const counter = measured(store);
    const queue = new EventQueue(store);
    const started = process.hrtime.bigint();
    for (let i = 0; i < n; i += 1) queue.add(`00000000-0000-4000-8000-${String(i).padStart(12, '0')}`, 1_765_000_000_000 + i);
    const addMs = Number(process.hrtime.bigint() - started) / 1e6;
    const reading = process.hrtime.bigint();
    const restarted = new EventQueue(store);
    const readMs = Number(process.hrtime.bigint() - reading) / 1e6;
    console.log(`${String(n).padStart(6)} referrals: ${addMs.toFixed(0).padStart(7)} ms to store (${(addMs / n).toFixed(3)} ms/event), ${(counter.bytes() / 1024 / 1024).toFixed(2).padStart(8)} MB written, restart reads ${restarted.size} in ${readMs.toFixed(1)} ms`);
    store.close();
  }
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
