/**
 * Reads the config file (YAML or JSON), validates it and reports every mistake with its path, the way a
 * CRM admin reads it: `crm > salesforce > clientId: expected string`.
 */
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ConfigError, shownText, terminalSafe } from '../core/errors.js';
import { enforceCertificateHosts } from './certificate-host-consent.js';
import type { EndpointConsent } from './endpoint-consent.js';
import { enforceConfigEndpoints } from './endpoints.js';
import { placeholderProblems } from './placeholders.js';
import { enforceRecipientDomains } from '../core/notify/recipient-domains.js';
import { configSchema, type CosellConfig } from './schema.js';
import { DEFAULT_CONFIG_FILE } from './default-file.js';

export { DEFAULT_CONFIG_FILE };

export class ConfigFileError extends ConfigError {
  constructor(readonly file: string, readonly problems: { path: string; message: string }[]) {
    super(problems[0]?.path ?? FILE_PROBLEM, '');
    // Set after the constructor's secret filter, which read "privateKey: must be …" as a key and its value and
    // removed the word "must". The paths are config keys named by our own code; each message is filtered alone.
    this.message = describeProblems(file, problems);
  }
}

/** The path of a problem with the file itself (it cannot be read), not with a key in it. */
const FILE_PROBLEM = '(file)';

function describeProblems(file: string, problems: readonly { path: string; message: string }[]): string {
  const lines = problems.map((p) => ({ path: terminalSafe(p.path), message: shownText(p.message) }));
  if (lines.length === 1 && lines[0]!.path === FILE_PROBLEM) return lines[0]!.message;
  return `${terminalSafe(file)} is not valid:\n${lines.map((l) => `  ${l.path}: ${l.message}`).join('\n')}`;
}

function issuePath(issue: z.core.$ZodIssue): string {
  const parts = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') parts.push(...issue.keys);
  return parts.length > 0 ? parts.join(' > ') : '(top level)';
}

/** Runs a check whose ConfigError (a key and its message) is reported as a problem of `file`. */
function asFileProblem(file: string, check: () => void): void {
  try {
    check();
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigFileError(file, [{ path: error.path, message: error.message.slice(error.path.length + 2) }]);
    throw error;
  }
}

/**
 * Validates a parsed document; throws ConfigFileError listing every problem with its path (first any value
 * init left unfilled). `consent` is whose consent a custom endpoint needs: this process's environment
 * (COSELL_ALLOW_ENDPOINTS) unless a tenant's is given.
 */
export function validateConfig(document: unknown, file = DEFAULT_CONFIG_FILE, consent?: EndpointConsent): CosellConfig {
  const unfilled = placeholderProblems(document);
  if (unfilled.length > 0) throw new ConfigFileError(file, unfilled);
  const parsed = configSchema.safeParse(document ?? {});
  if (parsed.success) {
    asFileProblem(file, () => {
      enforceConfigEndpoints(parsed.data, consent);
      enforceCertificateHosts(parsed.data.serve.webhooks.certificateHosts);
    });
    return parsed.data;
  }
  throw new ConfigFileError(file, parsed.error.issues.map((issue) => ({ path: issuePath(issue), message: issue.message })));
}

/** Loads and validates the config file; relative store and cache paths are taken from the file's folder. */
export function loadConfig(file = DEFAULT_CONFIG_FILE): CosellConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'there is no such file' : code === 'EISDIR' ? 'it is a folder' : code === 'EACCES' ? 'this user may not read it' : (code ?? 'unreadable');
    throw new ConfigFileError(file, [{ path: FILE_PROBLEM, message: `Cannot read the config file ${file} (${why}): create one with "cosell init", or name another with --config FILE` }]);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new ConfigFileError(file, [{ path: '(syntax)', message: (error as Error).message }]);
  }
  const config = validateConfig(document, file);
  // A single install's file only: a tenant keeps no notifications section (core/tenants/tenant-registry.ts).
  asFileProblem(file, () => enforceRecipientDomains(config.notifications));
  const base = dirname(resolve(file));
  const within = (p: string) => (isAbsolute(p) ? p : resolve(base, p));
  return { ...config, store: { path: within(config.store.path) }, partnerCenter: { ...config.partnerCenter, tokenCachePath: within(config.partnerCenter.tokenCachePath) } };
}
