/**
 * A CRM adapter's listing read to its end, as tests of a later run's listing need it: every page, and a first
 * run whose versions stand for the engine's known ones.
 */
import type { CrmAdapter, CrmChangePage, CrmCursor, KnownVersions } from '../../core/engine/crm-port.js';

export async function allPages(pages: AsyncIterable<CrmChangePage>): Promise<CrmChangePage[]> {
  const out: CrmChangePage[] = [];
  for await (const page of pages) out.push(page);
  return out;
}

/** A first run read to its end: its last cursor, and the versions it handed on as the engine's known ones. */
export async function firstRun(adapter: CrmAdapter): Promise<{ cursor: CrmCursor | undefined; known: KnownVersions }> {
  const versions = new Map<string, string>();
  const known: KnownVersions = { prepare: async () => undefined, isKnown: (id, version) => versions.get(id) === version };
  let cursor: CrmCursor | undefined;
  for await (const page of adapter.readChanges(undefined, known)) {
    cursor = page.cursor;
    for (const deal of page.deals) versions.set(deal.crmId, deal.etag!);
  }
  return { cursor, known };
}
