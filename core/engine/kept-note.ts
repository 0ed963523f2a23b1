/**
 * A note added to a record's message once, then kept while the pair is quiet: the seller sees why a field
 * went back (owned-fields-note.ts) or why an invitation stays (invitation-note.ts) after the sync that found
 * it, until the record's next change. The last message is known as such a note by its rule codes. Pure.
 */
import type { SyncStatus } from './crm-port.js';

/**
 * `message` with `note` added; without a note, the last synced message carrying one of `codes` stays while
 * the pair is quiet and nothing else is said.
 */
export function withKeptNote(message: string, note: string, codes: readonly string[], quiet: boolean, last: SyncStatus | undefined): string {
  if (note) return [message, note].filter(Boolean).join(' ');
  if (!message && quiet && last?.state === 'synced' && codes.some((code) => last.message.includes(`[${code}]`))) return last.message;
  return message;
}
