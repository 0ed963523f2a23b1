/**
 * How commands end: errors become one clear line (the message names the path, record or command to run)
 * and a named exit code; stack traces only with COSELL_DEBUG=1.
 */
import { AuthError, BudgetPausedError, ConfigError, ConnectorError } from '../errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export function exitCodeFor(error: unknown): ExitCode {
  if (error instanceof ConfigError) return EXIT.config;
  if (error instanceof AuthError) return EXIT.auth;
  if (error instanceof BudgetPausedError) return EXIT.partial;
  return EXIT.failed;
}

export function reportError(error: unknown): ExitCode {
  const code = exitCodeFor(error);
  const message = error instanceof ConnectorError || error instanceof Error ? error.message : String(error);
  console.error(`cosell: ${message}`);
  if (process.env.COSELL_DEBUG === '1' && error instanceof Error) console.error(error.stack);
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
