/**
 * The files `cosell export` and `cosell import` read and write, checked before any work starts: a path typed
 * wrong is a command-line mistake (exit 2) that names the option and the path, not a Node stack trace after
 * the import ran, nor a results file that cannot be written for an import already sent.
 */
import { accessSync, chmodSync, constants, createWriteStream, realpathSync, renameSync, rmSync, statSync, writeFileSync, type Stats, type WriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { ConfigError } from '../../errors.js';

/** The file's stats, or undefined when nothing is there (or a part of the path is not a folder). */
function statOf(path: string): Stats | undefined {
  try {
    return statSync(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

function allowed(path: string, mode: number): boolean {
  try {
    accessSync(path, mode);
    return true;
  } catch {
    return false;
  }
}

/** The CSV file to import: it exists, is a file, and can be read. */
export function checkInputFile(file: string): void {
  const stats = statOf(file);
  if (!stats) throw new ConfigError(file, 'no such file');
  if (stats.isDirectory()) throw new ConfigError(file, 'is a folder, not a CSV file');
  if (!allowed(file, constants.R_OK)) throw new ConfigError(file, 'cannot be read (permission denied)');
}

/** Why `file` could not be written, or undefined when it could. Reads the file system only: nothing is created. */
export function writeProblem(file: string): string | undefined {
  const stats = statOf(file);
  if (stats?.isDirectory()) return 'it is a folder';
  if (stats) return allowed(file, constants.W_OK) ? undefined : 'the file is read-only (permission denied)';
  const folder = dirname(file);
  const folderStats = statOf(folder);
  if (!folderStats) return `the folder ${folder} does not exist`;
  if (!folderStats.isDirectory()) return `${folder} is not a folder`;
  return allowed(folder, constants.W_OK | constants.X_OK) ? undefined : `the folder ${folder} is not writable (permission denied)`;
}

/** Refuses an output file that could not be written; `hint` ends the message (say how to choose another). */
export function checkOutputFile(file: string, option: string, hint = ''): void {
  const problem = writeProblem(file);
  if (problem) throw new ConfigError(option, `cannot write ${file}: ${problem}${hint}`);
}

/** The import's results file must not be the CSV file itself: opening it for the results would empty it before it is read. */
export function checkResultsFile(results: string, file: string, hint: string): void {
  if (resolve(results) === resolve(file)) throw new ConfigError('--results', `${results} is the CSV file being imported; choose another file${hint}`);
  checkOutputFile(results, '--results', hint);
}

/**
 * Exports and results files hold customer names, emails and phones: a new one is created readable by its
 * owner only (0600), not by the umask's default (0644, every local user). An existing file keeps its mode:
 * whoever made it chose who reads it, and it is never widened.
 */
export const CUSTOMER_FILE_MODE = 0o600;

/** Writes a whole file of customer data (a worker's export or results file), created as {@link CUSTOMER_FILE_MODE} says. */
export function writeCustomerFile(file: string, text: string): void {
  writeFileSync(file, text, { mode: CUSTOMER_FILE_MODE });
}

/**
 * Opens `file` for writing once the checks above passed. An error at opening (the folder removed since) is
 * refused like them; later write errors reach the pipeline that writes the CSV, which fails the command.
 */
export function openOutputFile(file: string, option: string): Promise<WriteStream> {
  return new Promise((done, fail) => {
    const stream = createWriteStream(file, { mode: CUSTOMER_FILE_MODE });
    stream.once('ready', () => done(stream));
    stream.once('error', (error) => fail(new ConfigError(option, `cannot write ${file}: ${error.message}`)));
  });
}

/** An output file written beside its place and moved there only once complete. */
export interface ReplacingFile {
  readonly stream: WriteStream;
  /** Once the stream has ended: the written file takes the place of the one named (an existing file's mode kept); a write that failed is discarded. */
  commit(): Promise<void>;
  /** The command failed: what was written goes, and a file already at the place stays as it was. */
  discard(): void;
}

/**
 * Opens `file` for a whole new content that replaces it only if the command gets to the end. Opening
 * `file` itself emptied it at once: an import that then failed (a sign-in refused, exit 3) left the
 * previous run's results file, with the IDs of the deals it created, empty, and a failed export removed
 * the file that was at `--out`.
 */
export function openReplacingFile(file: string, option: string): Promise<ReplacingFile> {
  // A symlink's file is replaced, not the link; a path that is no regular file (a named pipe a script reads,
  // /dev/stdout) has no content to keep and is written through: a rename put a plain file in its place.
  const existing = statOf(file);
  if (existing && !existing.isFile()) return openWrittenThrough(file, option);
  const place = existing ? realpathSync(file) : file;
  const partial = join(dirname(place), `.${basename(place)}.${process.pid}.partial`);
  return new Promise((done, fail) => {
    const stream = createWriteStream(partial, { mode: CUSTOMER_FILE_MODE });
    const discard = () => {
      stream.destroy();
      rmSync(partial, { force: true });
    };
    const commit = async () => {
      try {
        if (!stream.writableEnded) stream.end();
        await finished(stream);
        const existing = statOf(place);
        if (existing) chmodSync(partial, existing.mode & 0o777);
        renameSync(partial, place);
      } catch (error) {
        // A write that failed (a disk full) left a half-written file: it goes, as a failed command's does.
        discard();
        throw error;
      }
    };
    stream.once('ready', () => done({ stream, commit, discard }));
    stream.once('error', (error) => fail(new ConfigError(option, `cannot write ${file}: ${error.message}`)));
  });
}

/** Writes straight into `place` (no regular file: nothing there to keep). */
async function openWrittenThrough(place: string, option: string): Promise<ReplacingFile> {
  const stream = await openOutputFile(place, option);
  const commit = async () => {
    if (!stream.writableEnded) stream.end();
    await finished(stream);
  };
  return { stream, commit, discard: () => stream.destroy() };
}
