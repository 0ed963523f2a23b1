/**
 * Typed errors shared by every connector. Each carries a stable `code` a program can branch on, whether
 * a retry could help, and context that names the record and field. None of them may carry a secret:
 * constructors take only what is safe to log, and `redactSecrets` scrubs free text from remote services.
 */

export interface ErrorContext {
  /** The record concerned: a referral ID, CRM ID or CSV row. */
  record?: string;
  /** The canonical field path concerned, e.g. `customer.country`. */
  field?: string;
  /** The remote service's request id, for support tickets. */
  requestId?: string;
  /** The remote service's error code and target, verbatim. */
  serviceCode?: string;
  target?: string;
  status?: number;
  [key: string]: unknown;
}

export class ConnectorError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly retryable: boolean = false,
    readonly context: ErrorContext = {},
    options?: { cause?: unknown },
  ) {
    super(shownText(message), options);
    this.name = new.target.name;
  }
}

/**
 * Codes of a service that did not answer, after every retry: a 5xx or 408 (`service_unavailable`), a network
 * failure, throttling that outlasted the retries. Any other error is an answer (a 404, a refused change, a
 * refused sign-in). One list, so that the outage the engine tells sellers of (core/engine/partner-center-
 * outage.ts) and the failure streak the Partner Center client logs once (failure-streak.ts) never disagree.
 */
export const NO_ANSWER_CODES: ReadonlySet<string> = new Set(['service_unavailable', 'network', 'rate_limited']);

/** Credentials missing, expired or refused; `action` says what the admin should run. */
export class AuthError extends ConnectorError {
  constructor(message: string, readonly action?: string, context: ErrorContext = {}, options?: { cause?: unknown }) {
    // A service's own message often ends with a full stop already: one, not "..".
    super('auth_failed', action ? `${message.replace(/\.\s*$/, '')}. ${action}` : message, false, context, options);
  }
}

/** The remote side asked us to slow down; `waitMs` is how long it asked for. */
export class RateLimitError extends ConnectorError {
  constructor(message: string, readonly waitMs: number | undefined, context: ErrorContext = {}) {
    super('rate_limited', message, true, context);
  }
}

/** The record changed since we read it (HTTP 412 / eTag mismatch): the engine re-reads and merges. */
export class ConflictError extends ConnectorError {
  constructor(message: string, context: ErrorContext = {}) {
    super('conflict', message, false, context);
  }
}

export class NotFoundError extends ConnectorError {
  constructor(message: string, context: ErrorContext = {}) {
    super('not_found', message, false, context);
  }
}

/** The remote service refused the data; the message names the record, field and rule. */
export class RemoteValidationError extends ConnectorError {
  constructor(message: string, context: ErrorContext = {}) {
    super('remote_validation', message, false, context);
  }
}

/**
 * The CRM lacks a field, column or object the connector's setup creates: `cosell setup` has not run (or
 * not completed) against this org. Each adapter recognises its own service's "no such field" answers.
 */
export class SetupMissingError extends ConnectorError {
  constructor(readonly crm: string, readonly missing: string, readonly setupCommand: string, detail: string, context: ErrorContext = {}) {
    super(
      'setup_missing',
      `${crm} is not set up for the connector yet: ${missing} does not exist (${detail}). Run \`${setupCommand}\` to create the connector's fields, then \`cosell check\``,
      false,
      { ...context, target: missing },
    );
  }
}

/** A share of an API budget is used up; the sync pauses until `resumeAt` (if known). */
export class BudgetPausedError extends ConnectorError {
  constructor(message: string, readonly resumeAt?: string, context: ErrorContext = {}) {
    super('budget_paused', message, false, context);
  }
}

/** Configuration is wrong; `path` names where, as `crm > salesforce > instanceUrl`. */
export class ConfigError extends ConnectorError {
  constructor(readonly path: string, message: string) {
    super('config_invalid', message, false, { field: path });
    // The path is a config key or option named by our own code, never a value: it stays out of the secret
    // filter, which would otherwise read "clientSecret: the environment variable …" as a key and its value.
    this.message = `${terminalSafe(path)}: ${this.message}`;
  }
}

/** Secret values resolved by this process (config/secrets.ts): scrubbed verbatim wherever they appear. */
const knownSecrets = new Set<string>();

/** Remembers a resolved secret so that `redactSecrets` removes it even from text no pattern recognises. */
export function registerSecret(value: string): void {
  // Very short values would turn ordinary words into `[redacted]`; they are refused elsewhere anyway.
  if (value.length >= 8) knownSecrets.add(value);
}

/** A key that names a secret, as `access_token`, `clientSecret` or `"password"`, before `=`/`:` (also URL-encoded). */
const SECRET_KEY = String.raw`(?<![A-Za-z])(?:access_?token|refresh_?token|id_?token|client_?secret|assertion|password|passphrase|session_?id|sid|code|private_?key)`;

const SECRET_PATTERNS: readonly RegExp[] = [
  /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(?:-----END [A-Z ]*PRIVATE KEY-----|$)/g,
  /((?:bearer|basic|oauth)\s+)[A-Za-z0-9\-._~+/!%]+=*/gi,
  new RegExp(String.raw`(${SECRET_KEY}["']?\s*(?:[:=]|%3[Dd]|%22%3[Aa])\s*["']?(?:%22)?)[^"'&\s,}]+`, 'gi'),
  /eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/g,
  // Salesforce session IDs (and access tokens): the 15-character org ID, `!`, then the session part.
  /\b00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?(?:!|%21)[A-Za-z0-9._-]+/g,
];

/**
 * Replaces bearer/basic credentials, JWTs, Salesforce session IDs, private keys and secret-looking
 * key/value pairs (plain, JSON or URL-encoded) in free text with `[redacted]`.
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const secret of knownSecrets) out = out.split(secret).join('[redacted]');
  return SECRET_PATTERNS.reduce(
    (out, pattern) => out.replace(pattern, (_match, prefix: string | undefined) => `${typeof prefix === 'string' ? prefix : ''}[redacted]`),
    out,
  );
}

/**
 * Remote text (a Partner Center message, a CRM error) reaches the admin's terminal: escape sequences could
 * rewrite the screen or hide text, and bidi overrides reorder it. Removes C0 controls other than tab and
 * line feed, DEL, C1 controls, and Unicode bidi embedding/override/isolate characters.
 */
export function terminalSafe(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, '');
}

/**
 * Text from outside (a library's error, a service's answer) as it may be stored, logged for people or
 * printed: no secret ({@link redactSecrets}) and nothing a terminal acts on ({@link terminalSafe}).
 */
export function shownText(text: string): string {
  return terminalSafe(redactSecrets(text));
}

/**
 * How a failure is told (a failed run's stored message, a command's error line): a ConnectorError's own words,
 * filtered when it was made (an AuthError's name what to run), else the error's name and message, filtered
 * here: an error no mapper made a ConnectorError (a library's, quoting its request or a body) was not.
 */
export function failureText(error: unknown): string {
  if (error instanceof ConnectorError) return error.message;
  return shownText(error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
