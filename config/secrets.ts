/**
 * Secret references: a config file names where a secret is (`env:NAME`, `file:/path`), never the secret.
 * Values are resolved when a connection is made and are never logged, echoed or stored.
 */
import { readFile } from 'node:fs/promises';
import { ConfigError, registerSecret } from '../core/errors.js';

export async function resolveSecret(ref: string, path = 'secret'): Promise<string> {
  const value = await readSecret(ref, path);
  registerSecret(value);
  return value;
}

async function readSecret(ref: string, path: string): Promise<string> {
  if (ref.startsWith('env:')) {
    const name = ref.slice(4);
    const value = process.env[name];
    if (!value) throw new ConfigError(path, `the environment variable ${name} is not set`);
    return value;
  }
  if (ref.startsWith('file:')) {
    const file = ref.slice(5);
    try {
      return (await readFile(file, 'utf8')).trim();
    } catch {
      throw new ConfigError(path, `cannot read the secret file ${file}`);
    }
  }
  throw new ConfigError(path, 'a secret must be a reference (env:NAME or file:/path), not the value itself');
}
