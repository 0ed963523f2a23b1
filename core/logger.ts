/**
 * The root pino logger. Secrets are redacted by path before anything is written, so a careless
 * `log.info({ headers })` cannot leak a token.
 */
import { pino, type Logger } from 'pino';
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

export interface LoggerOptions {
  level?: string;
  /** Where to write; defaults to stderr so that stdout stays free for command output. */
  destination?: NodeJS.WritableStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? process.env.COSELL_LOG_LEVEL ?? 'info';
  return pino(
    { level, ...secretSafeLogging(level), redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { app: 'cosell' } },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that drops everything: the default for library code and tests that do not look at logs. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
