// Where the compiled CLI lives and whether it is up to date, shared by bin/build.js (which writes it) and
// bin/cosell.js (which runs it, or says why it cannot). Plain JavaScript: it runs before anything is built.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { URL, fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
/** The compiled entry point. */
export const compiledMain = (root = ROOT) => join(root, 'dist', 'core', 'cli', 'main.js');
/** Written after each successful build, with the time the build started as its modification time. */
export const buildStamp = (root = ROOT) => join(root, 'dist', 'BUILT');
/** The folders tsconfig.build.json compiles (keep the two lists equal), and the files that steer the build. */
const SOURCE_DIRS = ['core', 'connectors', 'config', 'mappings', 'sandbox'];
const BUILD_FILES = ['tsconfig.json', 'tsconfig.build.json'];

function mtimeOf(file) {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
}

function entriesUnder(dir) {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true });
  } catch {
    return [];
  }
}

/**
 * Why dist/ cannot be run as it is, or undefined when it can: missing, or older than a source file (edited,
 * checked out or pulled since the last build). Reads only modification times: a few milliseconds.
 */
export function staleReason(root = ROOT) {
  const built = mtimeOf(buildStamp(root));
  if (built === undefined || mtimeOf(compiledMain(root)) === undefined) return 'dist/ has not been built';
  for (const file of BUILD_FILES) {
    if ((mtimeOf(join(root, file)) ?? 0) > built) return `${file} changed since the last build`;
  }
  for (const dir of SOURCE_DIRS) {
    for (const entry of entriesUnder(join(root, dir))) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = join(entry.parentPath ?? entry.path, entry.name);
      if ((mtimeOf(file) ?? 0) > built) return `${relative(root, file)} changed since the last build`;
    }
  }
  return undefined;
}
