/**
 * Builders and temp-directory handling shared by the state store tests.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConnectorError } from '../../core/errors.js';
import type { Conflict, Link } from '../../core/store/index.js';
import { CREATED_AT, inboundFromMicrosoft, outboundDeal } from '../helpers/referrals.js';

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

/**
 * Links for `attentionLinks` and `pipelineDeals`: which may need a person (1: inbound waiting for our
 * answer, 3: eligible for deal registration) and which not (2: inbound accepted, 4: not eligible, 5: a
 * waiting inbound referral whose CRM record was deleted); the actives' bases for the pipeline.
 */
export function attentionFixture(): { links: Link[]; attention: string[]; active: Link[] } {
  const waiting = makeLink(1, { base: inboundFromMicrosoft({ crmId: makeLink(1).crmId, referralId: makeLink(1).referralId }) });
  const accepted = makeLink(2, { base: inboundFromMicrosoft({ crmId: makeLink(2).crmId, referralId: makeLink(2).referralId, status: 'Active', substatus: 'Accepted', salesStage: 'Qualified', value: 1200.5 }) });
  const eligible = makeLink(3, { lastStatus: { state: 'synced', message: '', registrationEligible: true, registrationDeadline: '2027-02-01T00:00:00.000Z' } });
  const notEligible = makeLink(4, { lastStatus: { state: 'synced', message: '', registrationEligible: false } });
  const deleted = makeLink(5, { state: 'crm-deleted', base: inboundFromMicrosoft({ crmId: makeLink(5).crmId, referralId: makeLink(5).referralId }) });
  const links = [waiting, accepted, eligible, notEligible, deleted];
  return { links, attention: [eligible.crmId, waiting.crmId], active: [waiting, accepted, eligible, notEligible] };
}
