/**
 * The log file (`logging.file`) of a long-running command, kept writable across log rotation.
 *
 * logrotate's usual set-up (`create`, no `copytruncate`) renames the file and leaves a new, empty one.
 * A process that opened the file once went on appending to the renamed one (the same inode): the file an
 * admin tails stayed empty, and once the rotated copy was compressed or deleted the unattended run's logs
 * went nowhere at all. And the `postrotate` step that tells a daemon to reopen (`kill -HUP`) killed the
 * process, as SIGHUP ends a Node process that does not handle it.
 *
 * So the file is watched by path: every few seconds (and on SIGHUP, for a `postrotate` that asks) it is
 * compared with the open one, and a file moved, removed or replaced is opened again at its path.
 */
import { statSync } from 'node:fs';

/** What the watch needs of pino's file destination (sonic-boom): reopening the file at its path. */
export interface ReopenableDestination {
  reopen(): void;
  /** Writes what it still holds and closes the file. */
  end(): void;
}

type FileIdentity = { dev: number; ino: number };

const CHECK_EVERY_MS = 5_000;

/**
 * pino's file destination in sync mode throws from `write` when the disk is full (ENOSPC): the throw came
 * out of whatever logged, so a full disk failed a run with the log's error instead of the store's, or ended
 * `cosell serve` from a timer. The destination keeps the line and writes it with the next one that fits,
 * so a failed write is only reported, once until writes succeed again, on `report` (standard error).
 */
export function writesThatNeverThrow(
  destination: { write(line: string): boolean; on(event: 'drop', listener: () => void): unknown; readonly destroyed?: boolean },
  path: string,
  report: (message: string) => void,
) {
  let failing = false;
  // Past what it keeps, the destination drops a line without throwing: that is no sign the disk took it.
  let dropped = false;
  destination.on('drop', () => {
    dropped = true;
  });
  return {
    write(line: string): boolean {
      // A line logged after the file was closed (a runtime replaced by a config edit, something of it
      // finishing late) goes to standard error rather than being lost or reported as a disk problem.
      if (destination.destroyed) return process.stderr.write(line);
      dropped = false;
      try {
        const written = destination.write(line);
        if (dropped) return false;
        if (failing) report(`cosell: the log file ${path} can be written again; the lines kept meanwhile were written.`);
        failing = false;
        return written;
      } catch (error) {
        if (!failing) report(`cosell: cannot write the log file ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); its lines are kept in memory (up to 8 MB, then new ones are dropped) and written once the file can be written.`);
        failing = true;
        return false;
      }
    },
  };
}

export class WatchedLogFile {
  private opened: FileIdentity | undefined;
  private readonly timer: NodeJS.Timeout;

  constructor(
    readonly path: string,
    private readonly destination: ReopenableDestination,
    /** The device and inode of the file the destination has open now. */
    private readonly openIdentity: () => FileIdentity,
    checkEveryMs = CHECK_EVERY_MS,
  ) {
    this.opened = this.identityOfOpen();
    this.timer = setInterval(() => this.tryReopenIfMoved(), checkEveryMs);
    // A short command must end when its work does: the watch never holds the process open.
    this.timer.unref();
  }

  /** Opens the file again when the path no longer names the open file (rotated, removed, replaced). */
  reopenIfMoved(): boolean {
    if (this.opened && sameFile(this.opened, identityAt(this.path))) return false;
    this.reopen();
    return true;
  }

  /**
   * As `reopenIfMoved`, for the timer: a file that cannot be opened now (its folder gone, a full disk) is
   * tried again at the next check; the process goes on, as it would with the old file.
   */
  tryReopenIfMoved(): void {
    try {
      this.reopenIfMoved();
    } catch {
      this.opened = undefined;
    }
  }

  /** Opens the file at its path again, whatever it holds (SIGHUP from a rotation's `postrotate`). */
  reopen(): void {
    this.destination.reopen();
    this.opened = this.identityOfOpen();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /**
   * Stops watching and closes the file: a runtime replaced after a config edit used to keep its file open,
   * one descriptor more at every edit of a run that lasts weeks.
   */
  close(): void {
    this.stop();
    try {
      this.destination.end();
    } catch {
      // Already closed: nothing is left to let go of.
    }
  }

  private identityOfOpen(): FileIdentity | undefined {
    try {
      return this.openIdentity();
    } catch {
      return undefined;
    }
  }
}

function identityAt(path: string): FileIdentity | undefined {
  try {
    const { dev, ino } = statSync(path);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

const sameFile = (a: FileIdentity, b: FileIdentity | undefined) => b !== undefined && a.dev === b.dev && a.ino === b.ino;

/** The watched file of each logger made by `createLogger` with a file (kept here, not in logger.ts, so that
 * a command's module can ask for it without loading pino: `cosell --help` loads no logging code). */
const logFiles = new WeakMap<object, WatchedLogFile>();

export function registerLogFile(logger: object, file: WatchedLogFile): void {
  logFiles.set(logger, file);
}

/** The file a logger made by `createLogger` writes to, watched for rotation; undefined for other destinations. */
export function logFileOf(logger: object): WatchedLogFile | undefined {
  return logFiles.get(logger);
}
