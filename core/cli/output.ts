/**
 * How commands end: errors become one clear line (the message names the path, record or command to run)
 * and a named exit code; a stack trace only with `--debug`. Also the flags every command shares.
 */
import { AuthError, BudgetPausedError, ConfigError, ConnectorError, failureText, SetupMissingError, shownText, terminalSafe } from '../errors.js';
import { StateStoreError } from '../store/store-problems.js';
import { escapeInvisibles } from '../log-line-escapes.js';
import { EXIT, type ExitCode } from './exit-codes.js';

/** The global flags, set once before a command runs (`main.ts`). */
export const cliFlags = { verbose: false, debug: process.env.COSELL_DEBUG === '1' };

/** `--debug` beats `--verbose` beats `COSELL_LOG_LEVEL` beats the config's `logging > level`. */
export function logLevelFor(configured: string): string {
  if (cliFlags.debug) return 'debug';
  if (cliFlags.verbose) return 'info';
  return process.env.COSELL_LOG_LEVEL ?? configured;
}

export function exitCodeFor(error: unknown): ExitCode {
  // A credential refused for an origin the config does not name, or for the address its name led to: the config's
  // endpoint (or DNS, or the operator's consent) is what to fix.
  if (error instanceof ConfigError || (error instanceof ConnectorError && (error.code === 'credential_origin' || error.code === 'address_refused'))) return EXIT.config;
  if (error instanceof AuthError) return EXIT.auth;
  if (error instanceof BudgetPausedError) return EXIT.partial;
  if (error instanceof SetupMissingError) return EXIT.notReady;
  // A busy database is held by another program for now: like a held runner lock, it passes (exit 6).
  if (error instanceof StateStoreError) return error.code === 'store.busy' ? EXIT.locked : EXIT.stateStore;
  return EXIT.failed;
}

export function reportError(error: unknown): ExitCode {
  const code = exitCodeFor(error);
  // Remote text (a service's message, a CRM value) may carry control characters or bidi overrides that
  // would rewrite what a terminal shows: filtered as a failed run's message is.
  console.error(`cosell: ${failureText(error)}`);
  if (cliFlags.debug && error instanceof Error && error.stack) console.error(shownText(error.stack));
  return code;
}

/** Runs a command body and sets the process exit code from its result or its error. */
export function command<A extends unknown[]>(body: (...args: A) => Promise<ExitCode | void>): (...args: A) => Promise<void> {
  return async (...args: A) => {
    try {
      process.exitCode = (await body(...args)) ?? EXIT.ok;
    } catch (error) {
      process.exitCode = reportError(error);
    }
  };
}

/**
 * A value as JSON for standard output: the same data, with the characters JSON leaves raw that a terminal
 * still acts on or shows as nothing (DEL, C1 controls such as CSI, bidi marks and overrides, zero-width
 * characters) written as `\\u` escapes, as log lines write them (one set: log-line-escapes.ts); JSON escapes C0.
 */
export function terminalJson(value: unknown): string {
  return escapeInvisibles(JSON.stringify(value, null, 2));
}

/** Columns padded to their widest cell; every cell made terminal-safe (cells often hold CRM or remote text). */
export function table(rows: (string | number)[][]): string {
  rows = rows.map((r) => r.map((cell) => (typeof cell === 'string' ? terminalSafe(cell) : cell)));
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
