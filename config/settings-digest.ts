/**
 * A digest of the settings that decide what a sync writes: the CRM section (field and stage mappings, the
 * connection) and the sync section's decision keys (conflict policy, the Won hold, locations, leads). When it
 * changes, the engine retries every parked record at once (core/engine/settings-change.ts). How often and
 * how long runs go (interval, stop grace, call budget), logging, serve, notifications and the dashboard
 * decide no record's content and are left out, so editing them retries nothing. The file holds no secrets
 * (only references to them: secrets.ts), and what the store keeps is a SHA-256. Pure.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../core/canonical-json.js';
import type { CosellConfig } from './schema.js';

/** Keys of `sync` that set when and how long runs go, not what they decide. */
const RUN_PACING_KEYS: ReadonlySet<string> = new Set(['intervalMinutes', 'stopGraceSeconds', 'partnerCenterCallBudget']);

export function settingsDigest(config: Pick<CosellConfig, 'crm' | 'sync'>): string {
  const sync = Object.fromEntries(Object.entries(config.sync).filter(([key]) => !RUN_PACING_KEYS.has(key)));
  return createHash('sha256').update(canonicalJson({ crm: config.crm, sync })).digest('hex');
}
