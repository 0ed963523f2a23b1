/**
 * The state store's errors: both implementations (SQLite and in-memory) throw exactly these, so callers
 * and the shared behavioural suite can rely on the `code`. Nothing here imports better-sqlite3, so the
 * in-memory store uses it too. (It carries the `sqlite-` prefix only because that is the file pattern
 * this work was given; `store-errors.ts` would be the honest name.)
 */
import { ConnectorError } from '../errors.js';
import { StateStoreError } from './store-problems.js';
import type { Conflict, Link } from './state-store.js';

/** `then` is a function: the work was async, which a synchronous transaction cannot wait for. */
export function isThenable(value: unknown): boolean {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

export function asyncTransactionError(): ConnectorError {
  return new ConnectorError(
    'store.async_transaction',
    'A state store transaction must be synchronous: its work returned a promise, so it was rolled back. Do the I/O before or after the transaction.',
  );
}

export function linkConflictError(link: Pick<Link, 'crmId' | 'referralId'>, linkedCrmId: string | undefined): ConnectorError {
  return new ConnectorError(
    'store.link_conflict',
    `Referral ${link.referralId} is already linked to CRM record ${linkedCrmId ?? '(unknown)'}; it cannot also be linked to ${link.crmId}.`,
    false,
    { record: link.crmId, referralId: link.referralId },
  );
}

export function conflictWithoutLinkError(crmId: string): ConnectorError {
  return new ConnectorError('store.link_missing', `Cannot record a conflict for CRM record ${crmId}: it has no link.`, false, { record: crmId });
}

export function conflictAlreadyOpenError(crmId: string): ConnectorError {
  return new ConnectorError('store.conflict_open', `CRM record ${crmId} already has an open conflict; resolve it first.`, false, { record: crmId });
}

export function conflictNotOpenError(id: number, existing: Conflict | undefined): ConnectorError {
  const why = existing ? `was already resolved (${existing.resolution ?? '?'}, ${existing.resolvedAt ?? '?'})` : 'does not exist';
  return new ConnectorError('store.conflict_not_open', `Conflict ${id} ${why}.`, false, { record: String(id) });
}

export function runNotFoundError(id: number): ConnectorError {
  return new ConnectorError('store.run_not_found', `Run ${id} does not exist.`, false, { record: String(id) });
}

export function lockLostError(owner: string): ConnectorError {
  return new ConnectorError(
    'store.lock_lost',
    `The runner lock is no longer held by ${owner} (another runner took it over after it went stale, or it was released). Stop this run.`,
    false,
    { owner },
  );
}

/** WAL needs shared memory between processes, which network file systems do not give. */
export function walUnavailableError(file: string): ConnectorError {
  return new StateStoreError(
    'store.wal_unavailable',
    `The state database ${file} cannot use write-ahead logging (is it on a network drive?). Put the state file on a local disk ("store > path" in the config).`,
    file,
  );
}
