/**
 * How commands end: errors become one clear line (the message names the path, record or command to run)
 * and a named exit code; a stack trace only with `--debug`. Also the flags every command shares.
 */
import { AuthError, BudgetPausedError, ConfigError, ConnectorError, redactSecrets } from '../errors.js';
import { StateStoreError } from '../store/store-problems.js';
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
  if (error instanceof ConfigError) return EXIT.config;
  if (error instanceof AuthError) return EXIT.auth;
  if (error instanceof BudgetPausedError) return EXIT.partial;
  if (error instanceof StateStoreError) return EXIT.stateStore;
  return EXIT.failed;
}

export function reportError(error: unknown): ExitCode {
  const code = exitCodeFor(error);
  const message = error instanceof ConnectorError ? error.message : redactSecrets(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  console.error(`cosell: ${message}`);
  if (cliFlags.debug && error instanceof Error && error.stack) console.error(redactSecrets(error.stack));
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

export function table(rows: (string | number)[][]): string {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => String(r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => String(cell).padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}
