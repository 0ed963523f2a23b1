/**
 * `cosell sandbox --write-config FILE`: a new file is written whole; an existing one is the admin's and
 * is never replaced without `--force`. Without it, only the settings that point at a local sandbox
 * (a loopback URL, as an earlier `--write-config` wrote them) are moved to this set's URLs, through the
 * yaml Document API so every other key and every comment stays as the admin left it. A config that
 * points at the real services has no such settings and is left unchanged.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import { ConfigError } from '../core/errors.js';
import type { UrlSetting } from './launch.js';

export type CrmKind = 'salesforce' | 'dynamics';

export interface ConfigWriteResult {
  file: string;
  action: 'written' | 'overwritten' | 'updated' | 'unchanged';
  /** Dotted paths of the settings moved to this set's URLs (`updated` only). */
  updated: string[];
  /** The CRM the file is for: the one asked for when it was written, the one it declares when it was kept. */
  kind: CrmKind;
}

/** A value that points at a sandbox on this machine: a loopback http URL, or JSON holding one. */
export function pointsAtLocalSandbox(value: string): boolean {
  return /http:\/\/(127\.0\.0\.1|localhost|\[::1\]):\d+/.test(value);
}

/** The config text with its local-sandbox URLs moved to `settingsFor(kind)`, kind read from the file. Pure. */
export function updateSandboxUrls(text: string, file: string, settingsFor: (kind: CrmKind) => UrlSetting[], fallbackKind: CrmKind): { text: string; updated: string[]; kind: CrmKind } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    throw new ConfigError(file, `is not valid YAML (${doc.errors[0]!.message.split('\n')[0]!.replace(/:$/, '')}); fix it, or pass --force to replace it with a new sandbox config`);
  }
  const declared = doc.getIn(['crm', 'kind']);
  const kind: CrmKind = declared === 'salesforce' || declared === 'dynamics' ? declared : fallbackKind;
  const updated: string[] = [];
  for (const { path, value } of settingsFor(kind)) {
    const current = doc.getIn(path);
    if (typeof current !== 'string' || !pointsAtLocalSandbox(current) || current === value) continue;
    doc.setIn(path, value);
    updated.push(path.join('.'));
  }
  return { text: updated.length > 0 ? doc.toString() : text, updated, kind };
}

export interface WriteConfigOptions {
  force: boolean;
  kind: CrmKind;
  /** The whole config for a new (or forced) file. */
  fresh: () => string;
  settingsFor: (kind: CrmKind) => UrlSetting[];
}

export function writeSandboxConfig(file: string, options: WriteConfigOptions): ConfigWriteResult {
  const exists = existsSync(file);
  if (!exists || options.force) {
    writeFileSync(file, options.fresh());
    return { file, action: exists ? 'overwritten' : 'written', updated: [], kind: options.kind };
  }
  const { text, updated, kind } = updateSandboxUrls(readFileSync(file, 'utf8'), file, options.settingsFor, options.kind);
  if (updated.length > 0) writeFileSync(file, text);
  return { file, action: updated.length > 0 ? 'updated' : 'unchanged', updated, kind };
}

/** One sentence for the person at the terminal. */
export function describeConfigWrite(result: ConfigWriteResult): string {
  switch (result.action) {
    case 'written':
      return `Wrote ${result.file}.`;
    case 'overwritten':
      return `Replaced ${result.file} with a new sandbox config (--force).`;
    case 'updated':
      return `Kept ${result.file}; moved its sandbox URLs to this run's ports (${result.updated.join(', ')}). Pass --force to replace the whole file.`;
    case 'unchanged':
      return `Kept ${result.file} unchanged: its sandbox URLs already match, or it points at no local sandbox. Pass --force to replace it.`;
  }
}

/** When `--crm` named another CRM than the kept file is for: that it was not applied, and how to apply it. */
export function describeKindKept(result: ConfigWriteResult, asked: CrmKind): string | undefined {
  if (result.kind === asked || result.action === 'written' || result.action === 'overwritten') return undefined;
  return `${result.file} is a ${result.kind} config: --crm ${asked} was not applied to it (only its sandbox URLs are kept current). Pass --force to replace it with a ${asked} sandbox config.`;
}

/**
 * A kept config (`--write-config` without `--force`) for sandboxes started without `--persist`: what they
 * lack, said for the CRM the file is for. Until 2026-12-06 a Dynamics 365 admin read that the sandboxes
 * "start empty" (they hold the demo data unless `--no-seed`) "with a new Salesforce app".
 */
export function describeFreshSandboxes(result: ConfigWriteResult): string | undefined {
  if (result.action !== 'updated' && result.action !== 'unchanged') return undefined;
  const lacking = 'Without --persist these sandboxes keep nothing of an earlier run (records, sign-ins): run "cosell login partner-center" again';
  // The Salesforce sandbox's connected app (client ID and secret) is new at each start; the Dataverse app is fixed.
  return result.kind === 'salesforce' ? `${lacking}, and pass --force to rewrite this Salesforce config with the new app's credentials.` : `${lacking}.`;
}
