/**
 * Builders and temp-directory handling shared by the state store tests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import type { Conflict, Link } from '../../core/store/index.js';
import { CREATED_AT, outboundDeal } from '../helpers/referrals.js';

/** The n-th test link: a full outbound deal as its base, distinct IDs, `updatedAt` n minutes after creation. */
export function makeLink(n: number, overrides: Partial<Link> = {}): Link {
  const crmId = `006${String(n).padStart(15, '0')}`;
  const referralId = `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    crmId,
    referralId,
    engagementId: `e0000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    base: outboundDeal({ crmId, referralId }),
    pcEtag: `"pc-etag-${n}"`,
    state: 'active',
    updatedAt: minutesAfterCreation(n),
    ...overrides,
  };
}

/** An open conflict on the n-th test link's value and close date. */
export function conflictOn(n: number): Omit<Conflict, 'id'> {
  return {
    crmId: makeLink(n).crmId,
    referralId: makeLink(n).referralId,
    fields: ['value', 'closeDate'],
    base: outboundDeal(),
    crm: outboundDeal({ value: 1 }),
    partnerCenter: outboundDeal({ value: 2 }),
    detectedAt: minutesAfterCreation(10),
  };
}

export function minutesAfterCreation(minutes: number): string {
  return new Date(Date.parse(CREATED_AT) + minutes * 60_000).toISOString();
}

/** Asserts that `work` throws the store error with `code`. */
export function assertStoreError(work: () => unknown, code: string): void {
  assert.throws(work, (error: unknown) => error instanceof ConnectorError && error.code === code);
}

/** A fresh directory under the OS temp folder, removed by `cleanup`. */
export function makeTempDir(): { dir: string; file: (name?: string) => string; cleanup: () => void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cosell-store-'));
  let count = 0;
  return {
    dir,
    file: (name) => path.join(dir, name ?? `state-${++count}.sqlite`),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
