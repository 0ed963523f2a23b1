/**
 * Reads one of a tenant's secret files by the file actually opened. Looking at a path (realpath) and then
 * reading it by path left a gap in which the path could be swapped for a link; here the file is opened first
 * (O_NOFOLLOW: a link as the last part is refused outright) and the open handle is judged: its real path
 * (Linux's /proc/self/fd; elsewhere the path's realpath, which leaves that gap open) must lie in the
 * tenant's real folder, and it must have no other name (a hard link to another tenant's file has a real
 * path inside the folder, and only its link count tells it).
 */
import { constants } from 'node:fs';
import { open, readlink, realpath, type FileHandle } from 'node:fs/promises';
import { isAbsolute, relative, sep } from 'node:path';
import { sharedFileProblem } from '../../config/secrets.js';
import { ConfigError, registerSecret } from '../errors.js';

export function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith(`..${sep}`) && rel !== '..' && !isAbsolute(rel);
}

async function openedPath(handle: FileHandle, file: string): Promise<string | undefined> {
  return readlink(`/proc/self/fd/${handle.fd}`).catch(() => realpath(file).catch(() => undefined));
}

/** Why the opened file may not be used as tenant `tenantId`'s secret, or undefined. Pure. */
export function openedFileProblem(tenantId: string, file: string, dir: string, facts: { realDir: string; realFile: string | undefined; links: number; mode: number }): string | undefined {
  if (facts.realFile === undefined || !inside(facts.realDir, facts.realFile)) return `the file ${file} leads out of tenant ${tenantId}'s folder ${dir}${sep} (a link); name the file itself`;
  if (facts.links > 1) return `the file ${file} has other names (hard links: ${facts.links}), so it may be another tenant's file; copy the secret into a file of its own`;
  return process.platform === 'win32' ? undefined : sharedFileProblem(file, facts.mode);
}

export async function readTenantFile(tenantId: string, file: string, dir: string, path: string): Promise<string> {
  let handle: FileHandle;
  try {
    handle = await open(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new ConfigError(path, `the file ${file} is a link, and a link leads out of tenant ${tenantId}'s folder as easily as it stays in it; name the file itself`);
    throw new ConfigError(path, `cannot read the secret file ${file}`);
  }
  try {
    const [realDir, realFile, info] = await Promise.all([realpath(dir).catch(() => dir), openedPath(handle, file), handle.stat()]);
    const problem = openedFileProblem(tenantId, file, dir, { realDir, realFile, links: info.nlink, mode: info.mode & 0o777 });
    if (problem) throw new ConfigError(path, problem);
    const value = (await handle.readFile('utf8')).trim();
    registerSecret(value);
    return value;
  } finally {
    await handle.close();
  }
}
