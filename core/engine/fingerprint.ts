/**
 * A stable hash of a record's content, so that a parked record is retried when — and only when — it
 * changed. Keys are sorted so that property order never changes the hash.
 */
import { createHash } from 'node:crypto';

function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => a.localeCompare(b));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function fingerprint(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url').slice(0, 22);
}

/**
 * A referral's content, without what the servers stamp on every save (modification time, eTag): writing
 * the status onto a parked record must not make it look changed, or the status write would loop.
 */
export function contentFingerprint(referral: { updatedAt?: string; eTag?: string }): string {
  const { updatedAt: _u, eTag: _e, ...content } = referral;
  return fingerprint(content);
}
