/**
 * The root pino logger. Secrets are redacted by path before anything is written, so a careless
 * `log.info({ headers })` cannot leak a token.
 */
import { pino, type Logger } from 'pino';
import pretty from 'pino-pretty';
import { fstatSync } from 'node:fs';
import { ownerOnlyLogFile } from './log-file-mode.js';
import { registerLogFile, WatchedLogFile, writesThatNeverThrow } from './log-file.js';
import { oneLineMessage, visibleEscapes } from './log-line-escapes.js';
import { secretSafeLogging } from './log-redaction.js';

export type { Logger } from 'pino';

export const REDACT_PATHS = [
  'headers.authorization',
  'headers.Authorization',
  'config.headers.Authorization',
  '*.authorization',
  '*.Authorization',
  '*.accessToken',
  '*.access_token',
  '*.refreshToken',
  '*.refresh_token',
  '*.clientSecret',
  '*.client_secret',
  '*.password',
  '*.privateKey',
  'accessToken',
  'refreshToken',
  'clientSecret',
  'password',
  'privateKey',
];

/** What a log file keeps in memory while it cannot be written (a full disk). */
const LOG_KEPT_BYTES = 8 * 1024 * 1024;

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to standard error so that standard output stays free for command output. */
  destination?: NodeJS.WritableStream;
  /** Write to this file instead (appended to; created owner-only, and tightened to that at each open). */
  file?: string;
}

function loggerSettings(level: string) {
  return { level, ...secretSafeLogging(level), redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'cosell' } };
}

/**
 * Lines for a person on a terminal ("WARN: message"), JSON lines everywhere else (files, journald, CI),
 * which log tools parse. Either way only from `level` up.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.COSELL_LOG_LEVEL ?? 'warn';
  const settings = loggerSettings(level);
  if (options.file) {
    // maxLength: lines the disk cannot take are kept in memory up to this much, then new ones are dropped,
    // so a long outage of the disk cannot grow the process without bound.
    const report = (message: string) => process.stderr.write(`${message}\n`);
    const destination = pino.destination({ dest: options.file, mkdir: true, sync: true, mode: 0o600, maxLength: LOG_KEPT_BYTES });
    // sonic-boom's typings leave out `fd`, the descriptor it writes to (replaced when it reopens).
    const fd = () => (destination as unknown as { fd: number }).fd;
    // The mode above is given to a file being created only: an existing or rotated-in file is checked at each open.
    const ownerOnly = ownerOnlyLogFile(options.file, report);
    ownerOnly(fd());
    const logger = pino(settings, writesThatNeverThrow(destination, options.file, report));
    const reopenable = {
      reopen: () => {
        destination.reopen();
        ownerOnly(fd());
      },
      end: () => destination.end(),
    };
    registerLogFile(logger, new WatchedLogFile(options.file, reopenable, () => fstatSync(fd())));
    return logger;
  }
  if (options.destination) return pino(settings, options.destination);
  if (process.stderr.isTTY) return terminalLogger(level);
  return pino(settings, pino.destination({ dest: 2, sync: true }));
}

/**
 * Lines for a person at a terminal (standard error by default). pino-pretty parses each JSON line and prints
 * its strings raw, so controls and invisible characters reach it as visible escapes (`\u202e`) instead, and
 * the message shows a line feed as `\n` (a stack trace, at --debug, keeps its lines, each indented).
 */
export function terminalLogger(level: string, destination: number | NodeJS.WritableStream = 2, colorize = true): Logger {
  const settings = { ...loggerSettings(level), hooks: { streamWrite: visibleEscapes } };
  return pino(settings, pretty({ destination, sync: true, colorize, ignore: 'pid,hostname,app,time', singleLine: true, messageFormat: oneLineMessage }));
}

export { logFileOf } from './log-file.js';

/** A logger that drops everything: the default for library code and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
