/**
 * What the reader (read.ts) is handed to build deals, and the small helpers it reads IDs and stages with.
 * Moved out of read.ts on 2026-12-07 to keep it under 300 lines; unchanged.
 */
import type { AssembleContext, SfRecord } from './assemble.js';
import { isRecordId } from './soql.js';
import type { QueryRider } from './stage-listing.js';

/** The IDs that can be Salesforce record IDs, each once: anything else was never an opportunity's. */
export const recordIds = (ids: readonly string[]): string[] => [...new Set(ids.filter(isRecordId))];

/**
 * The field table now, the stage map (one query, cached) only when a page has rows to map: an idle run
 * makes its one feed call and no other. `load` is handed the StageNames the rows hold, so that a stage
 * the cached list does not know lists the stages again (connectors/stage-cache.ts).
 */
export interface LazyContext extends Pick<AssembleContext, 'rows'> {
  load(stageNames: readonly string[]): Promise<AssembleContext>;
  /** The stage listing to ride in the run's first call when the kept list is old (stage-listing.ts). */
  stageRider?(): QueryRider | undefined;
}

export const stageNamesOf = (opportunities: readonly SfRecord[]): string[] => [...new Set(opportunities.map((o) => o.StageName).filter((s): s is string => typeof s === 'string'))];
