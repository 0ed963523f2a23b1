/**
 * A batch of CRM writes split by the record they go to: creates of leads, changes to leads not converted
 * yet, and everything else (opportunities). Each adapter sends the first two through its lead mapping.
 */
import type { CrmWrite } from '../core/engine/crm-port.js';

export type LeadCreate = Extract<CrmWrite, { kind: 'create' }>;
export type LeadChange = Extract<CrmWrite, { kind: 'update' | 'status' }>;

export function splitLeadWrites(all: readonly CrmWrite[]): { creates: LeadCreate[]; changes: LeadChange[]; writes: CrmWrite[] } {
  const creates: LeadCreate[] = [];
  const changes: LeadChange[] = [];
  const writes: CrmWrite[] = [];
  for (const w of all) {
    if (w.kind === 'create' && w.as === 'lead') creates.push(w);
    else if (w.kind !== 'create' && w.target === 'lead') changes.push(w);
    else writes.push(w);
  }
  return { creates, changes, writes };
}
