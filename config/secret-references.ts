/**
 * Every secret reference a config holds, found by shape (`env:NAME`, `file:/path`, `vault:…`) wherever it
 * sits, so that commands which connect can prove up front that each one resolves: a missing variable or
 * unreadable file is then a config error naming its key (exit 2) before anything connects, whichever
 * command meets it first.
 */
import { resolveSecret } from './secrets.js';

const REFERENCE = /^(env|file|vault):/;

export interface SecretReference {
  /** Where it sits in the config, as `crm > salesforce > auth > privateKey`. */
  path: string;
  ref: string;
}

export function secretReferencesIn(value: unknown, path: string[] = []): SecretReference[] {
  if (typeof value === 'string') return REFERENCE.test(value) ? [{ path: path.join(' > '), ref: value }] : [];
  if (Array.isArray(value)) return value.flatMap((item, i) => secretReferencesIn(item, [...path, String(i)]));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => secretReferencesIn(item, [...path, key]));
  return [];
}

/** Resolves every reference and throws the first failure (a `ConfigError` naming the key); keeps no value. */
export async function verifySecretReferences(config: unknown): Promise<void> {
  for (const { path, ref } of secretReferencesIn(config)) await resolveSecret(ref, path);
}
