/**
 * The sandboxes' small persisted JSON files (`--persist DIR`): read if present, written atomically
 * (temporary file, then rename) so that a sandbox stopped mid-write never leaves half a file.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** The parsed file, or undefined when it does not exist. A file that is not JSON is an error naming it. */
export function readJsonFile(file: string): unknown {
  if (!existsSync(file)) return undefined;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (error) {
    throw new Error(`${file} is not a sandbox state file (${(error as Error).message}); delete it to start afresh.`);
  }
}

/** `mode` 0o600 for files that hold sandbox keys. */
export function writeJsonAtomic(file: string, value: unknown, mode = 0o644): void {
  mkdirSync(dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(value), { mode });
  renameSync(temporary, file);
}
