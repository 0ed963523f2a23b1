/**
 * Adapts the Partner Center client to the sync engine's port (core/engine/ports.ts): the engine depends
 * on behaviour, the client keeps its richer API for the CLI and the CSV tools.
 */
import type { PartnerCenterPage, PartnerCenterPort } from '../../core/engine/ports.js';
import type { Referral } from '../../core/model/referral.js';
import type { StoredCursor } from '../../core/store/state-store.js';
import type { ChangeCursor } from './change-feed.js';
import type { PartnerCenterClient } from './client.js';

/** Where a seller opens a referral in Partner Center; `{id}` is replaced. */
export const DEFAULT_REFERRAL_LINK = 'https://partner.microsoft.com/dashboard/v2/referrals/cosell/{id}';

export function partnerCenterSyncPort(client: PartnerCenterClient, linkTemplate = DEFAULT_REFERRAL_LINK): PartnerCenterPort {
  return {
    async *changes(cursor: StoredCursor | undefined): AsyncIterable<PartnerCenterPage> {
      for await (const page of client.changes(cursor as ChangeCursor | undefined)) {
        yield { referrals: page.referrals, unmappable: page.unmappable, cursor: page.cursor as StoredCursor | undefined };
      }
    },
    get: (id: string) => client.get(id),
    // Without a possible earlier attempt, the plain create (which still looks up before any retry) saves
    // one lookup per referral.
    createIdempotent: async (referral: Referral, options: { lookupFirst?: boolean } = {}) =>
      options.lookupFirst === false ? { referral: await client.create(referral), created: true } : client.createIdempotent(referral),
    update: (previous: Referral, next: Referral) => client.update(previous, next),
    assessmentsAllowed: async () => (await client.access())?.solutionAssessmentsAllowed,
    maxConcurrency: client.maxConcurrency,
    referralLink: (id: string) => linkTemplate.replace('{id}', encodeURIComponent(id)),
    callCount: () => client.callStats().requests,
  };
}
