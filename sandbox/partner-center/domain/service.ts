/**
 * The referral service behind the sandbox's HTTP routes and controls: create, change, read, and the
 * clock-driven expiry. Every create is judged by `checkCreate` and every change by `checkChange`
 * (core/rules), with the acting organisation as actor relative to the referral's owner (see
 * organizations.ts `actorFor`). A change and everything it causes in the engagement (copies for
 * newly invited parties, answers reflected on the sender's referral) is planned first and committed
 * together, so a refusal anywhere leaves nothing half-written.
 */
import { copyPlain } from '../../common/plain-copy.js';
import { fastLayout } from '../../common/fast-layout.js';
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { Actor } from '../../../core/model/enums.js';
import { blocking, checkChange, checkCreate, inboundExpiryDue, microsoftDecisionDue } from '../../../core/rules/index.js';
import type { SandboxClock } from '../../common/clock.js';
import { fail, ok, violationFailure, type Result } from '../failures.js';
import { actorFor, type Caller, type Organizations } from '../organizations.js';
import type { ReferralStore, StoredReferral } from '../store.js';
import { applyServerDerivedFields, canonicalWithDerivedType, newETag, SERVER_SET_ON_CREATE, stamp } from './derived.js';
import { camelCaseObject } from './property-case.js';
import { inboundCopy, newlyInvited, reflectAnswer, senderOf } from './engagement.js';
import { checkRequiredOnCreate, coerceDocumentedTypes } from '../wire/documented-types.js';
import { WireReadError } from '../wire/to-canonical.js';
import type { WireReferral as ApiReferral } from '../wire/types.js';

export type WriteKind = 'created' | 'updated';
export type WriteListener = (kind: WriteKind, referral: StoredReferral) => void;

interface Write {
  kind: WriteKind;
  json: StoredReferral;
}

function mappingFailure<T>(error: unknown): Result<T> {
  if (error instanceof WireReadError) {
    return fail(400, 'invalidRequest', error.message, error.field, { code: 'invalidValue', message: error.message, target: error.field });
  }
  throw error;
}

export class ReferralService {
  constructor(
    readonly store: ReferralStore,
    readonly orgs: Organizations,
    readonly clock: SandboxClock,
    private readonly onWrite: WriteListener = () => undefined,
  ) {}

  /** POST: an outbound referral of the caller's organisation. "All the deals you have created are in Accepted stage by default" (seed). */
  create(caller: Caller, body: unknown): Result<StoredReferral> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return fail(400, 'invalidRequest', 'The request body must be a referral object.', 'referral');
    const now = this.clock.now();
    const iso = now.toISOString();
    const json = camelCaseObject(body as Record<string, unknown>, SERVER_SET_ON_CREATE) as ApiReferral;
    const required = checkRequiredOnCreate(json);
    if (!required.ok) return required;
    const typed = coerceDocumentedTypes(json);
    if (!typed.ok) return typed;
    if (json.engagementId && this.store.inEngagement(json.engagementId).length === 0) {
      return fail(400, 'invalidRequest', `Engagement ${json.engagementId} does not exist.`, 'engagementId');
    }
    // Sandbox extension: without a location, the deal lands in the caller's first location scope.
    json.locationId ??= caller.locations[0] ?? null;
    if (!caller.admin && (!json.locationId || !caller.locations.includes(json.locationId))) {
      return fail(403, 'accessDenied', `A Referrals User can create deals only in their own location scope (${caller.locations.join(', ') || 'none'}).`, 'location');
    }
    Object.assign(json, {
      id: randomUUID(),
      engagementId: json.engagementId ?? randomUUID(),
      organizationId: caller.org,
      organizationName: caller.orgName,
      direction: 'Outgoing',
      createdDateTime: iso,
      updatedDateTime: iso,
      eTag: newETag(),
    });
    if (!json.status || json.status === 'New' || json.status === 'None') Object.assign(json, { status: 'Active', substatus: 'Accepted' });
    const stored = json as StoredReferral;
    let canonical;
    try {
      canonical = canonicalWithDerivedType(stored);
    } catch (error) {
      return mappingFailure(error);
    }
    const violations = blocking(checkCreate(canonical, { actor: 'us', now, assessmentsAllowed: this.orgs.assessmentVetted(caller.org) }));
    if (violations.length > 0) return violationFailure(violations);
    applyServerDerivedFields(stored, iso);
    // Camel-cased key by key, the referral's ~25 properties put it in V8's dictionary layout; the stored copy
    // is fast, so every answer built from it (spread, JSON.stringify) is cheaper (fast-layout.ts).
    const kept = fastLayout(stored);
    const writes: Write[] = [{ kind: 'created', json: kept }, ...this.fanOut(kept, now)];
    this.commit(writes);
    return ok(kept);
  }

  /**
   * Changes a referral: `mutate` edits a copy of its JSON (a JSON Patch, a PUT body, a control). The
   * actor defaults to the acting organisation relative to the owner; the expiry sweep passes
   * `microsoft`, since only Partner Center itself expires a referral.
   */
  change(actingOrg: string, id: string, mutate: (json: StoredReferral) => Result<StoredReferral>, options: { ifMatch?: string; actor?: Actor } = {}): Result<StoredReferral> {
    const planned = this.plan(actingOrg, id, mutate, options);
    if (!planned.ok) return planned;
    this.commit(planned.value.writes);
    return ok(planned.value.result);
  }

  private plan(
    actingOrg: string,
    id: string,
    mutate: (json: StoredReferral) => Result<StoredReferral>,
    options: { ifMatch?: string; actor?: Actor },
  ): Result<{ result: StoredReferral; writes: Write[] }> {
    const current = this.store.get(id);
    if (!current) return fail(404, 'itemNotFound', `Referral ${id} was not found.`, 'referral');
    if (options.ifMatch !== undefined && !eTagMatches(options.ifMatch, current.eTag)) {
      return fail(412, 'resourceModified', `The referral has changed since it was read: If-Match ${options.ifMatch} does not match the current eTag.`, 'eTag');
    }
    const mutated = mutate(copyPlain(current));
    if (!mutated.ok) return mutated;
    const typed = coerceDocumentedTypes(mutated.value);
    if (!typed.ok) return typed;
    const next = typed.value as StoredReferral;
    const now = this.clock.now();
    let before;
    let after;
    try {
      before = canonicalWithDerivedType(copyPlain(current));
      after = canonicalWithDerivedType(next);
    } catch (error) {
      return mappingFailure(error);
    }
    if (isDeepStrictEqual(current, next)) return ok({ result: current, writes: [] });
    const actor = options.actor ?? actorFor(actingOrg, current.organizationId);
    const violations = blocking(checkChange(before, after, { actor, now }));
    if (violations.length > 0) return violationFailure(violations);
    applyServerDerivedFields(next, now.toISOString());
    stamp(next, now.toISOString());
    const writes: Write[] = [{ kind: 'updated', json: next }, ...this.fanOut(next, now)];
    const reflected = this.reflect(current, next);
    if (!reflected.ok) return reflected;
    writes.push(...reflected.value);
    return ok({ result: next, writes });
  }

  /** The sender sees the receiver's answer; the sender's own rules judge it, with the receiver as actor. */
  private reflect(before: StoredReferral, after: StoredReferral): Result<Write[]> {
    const sender = senderOf(after, this.store.inEngagement(after.engagementId));
    if (!sender) return ok([]);
    const updated = reflectAnswer(sender, before, after);
    if (!updated) return ok([]);
    // The answer is the receiver's, even when Partner Center made it by expiring the copy.
    const planned = this.plan(after.organizationId, sender.id, () => ok(updated), { actor: actorFor(after.organizationId, sender.organizationId) });
    return planned.ok ? ok(planned.value.writes) : planned;
  }

  private fanOut(referral: StoredReferral, now: Date): Write[] {
    const engagement = this.store.inEngagement(referral.engagementId);
    return newlyInvited(referral, engagement, this.orgs).map(({ org, locationId }) => {
      const copy = inboundCopy(referral, org, this.orgs, now, locationId);
      canonicalWithDerivedType(copy);
      return { kind: 'created' as const, json: copy };
    });
  }

  private commit(writes: Write[]): void {
    for (const write of writes) this.store.put(write.json);
    for (const write of writes) this.onWrite(write.kind, write.json);
  }

  /**
   * The 14-day clocks, applied lazily before every request (to the due referrals only: the store queues
   * the waiting ones by due time) and by a control: an unanswered inbound referral becomes Closed/Expired
   * (seed), and a co-sell request Microsoft did not take up in 14 days shows as Expired. Returns how many
   * referrals changed.
   */
  expireDue(): number {
    const now = this.clock.now();
    let changed = 0;
    for (const id of this.store.dueIds(now)) {
      const referral = this.store.get(id);
      if (!referral) continue;
      let canonical;
      try {
        canonical = canonicalWithDerivedType(copyPlain(referral));
      } catch {
        continue;
      }
      if (inboundExpiryDue(canonical, now)) {
        const result = this.change('msft', id, (json) => ok(Object.assign(json, { status: 'Closed', substatus: 'Expired' })), { actor: 'microsoft' });
        if (result.ok) changed += 1;
      } else if (microsoftDecisionDue(canonical, now) && !this.hasOpenMicrosoftCopy(referral)) {
        const result = this.change('msft', id, (json) => ok(Object.assign(json, { microsoftEngagement: { ...json.microsoftEngagement, status: 'Expired' } })), { actor: 'microsoft' });
        if (result.ok) changed += 1;
      }
    }
    return changed;
  }

  /** Microsoft's own inbound copy, which expires by itself (and reflects the expiry) when it is due. */
  private hasOpenMicrosoftCopy(referral: StoredReferral): boolean {
    return this.store.inEngagement(referral.engagementId).some((r) => r.organizationId === 'msft' && r.direction === 'Incoming' && r.status === 'New');
  }
}

/** `If-Match: *` matches anything; otherwise compare eTags ignoring quotes and a weak prefix. */
export function eTagMatches(header: string, eTag: string | null | undefined): boolean {
  const strip = (v: string) => v.trim().replace(/^W\//, '').replace(/^"|"$/g, '');
  if (header.trim() === '*') return true;
  return header.split(',').some((candidate) => strip(candidate) === strip(eTag ?? ''));
}
