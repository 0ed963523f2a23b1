/**
 * Secret references: a config file names where a secret is (`env:NAME`, `file:/path`), never the secret.
 * Values are resolved when a connection is made and are never logged, echoed or stored.
 */
import { readFile, stat } from 'node:fs/promises';
import { ConfigError, registerSecret } from '../core/errors.js';

/**
 * `env`: where `env:` references are read; the process's unless a caller (a tenant's worker, judged against an
 * environment it was given) says otherwise, so the variable judged is the variable read.
 */
export async function resolveSecret(ref: string, path = 'secret', env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const value = await readSecret(ref, path, env);
  registerSecret(value);
  return value;
}

async function readSecret(ref: string, path: string, env: NodeJS.ProcessEnv): Promise<string> {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = env[name];
    if (!value) throw new ConfigError(path, `the environment variable ${name} is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const file = ref.slice(5);
    await refuseShared(file, path);
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch {
      throw new ConfigError(path, `cannot read the secret file ${file}`);
    }
  }
  throw new ConfigError(path, 'a secret must be a reference (env:NAME or file:/path), not the value itself');
}

/** Why a secret file with permission bits `mode` is no longer a secret (others can read it), naming the fix; or undefined. Pure. */
export function sharedFileProblem(file: string, mode: number): string | undefined {
  if ((mode & 0o077) === 0) return undefined;
  return `the secret file ${file} can be read or changed by other users (mode ${mode.toString(8).padStart(4, '0')}); run: chmod 600 ${file}`;
}

/** A secret file others can read is no longer a secret: refuse it, naming the file and the fix. */
async function refuseShared(file: string, path: string): Promise<void> {
  if (process.platform === 'win32') return;
  let mode: number;
  try {
    mode = (await stat(file)).mode & 0o777;
  } catch {
    return; // the read below reports a missing or unreadable file
  }
  const problem = sharedFileProblem(file, mode);
  if (problem) throw new ConfigError(path, problem);
}
