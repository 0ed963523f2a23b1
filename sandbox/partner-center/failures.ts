/**
 * Refusals in Partner Center's error shape (partner-center-api.md §1.12):
 * `{"error":{"code","message","target","innerError"}}` with the documented top-level codes. A rule
 * refusal carries the rule code in `innerError.code` and the canonical field as `target`; several
 * violations chain through nested `innerError`s ("walk nested innerError codes").
 */
import type { Violation } from '../../core/rules/index.js';
import type { WireErrorCode as ApiErrorCode, WireInnerError as ApiInnerError } from './wire/types.js';

export interface ApiFailure {
  status: number;
  code: ApiErrorCode;
  message: string;
  target?: string;
  innerError?: ApiInnerError;
  headers?: Record<string, string>;
}

export type Result<T> = { ok: true; value: T } | { ok: false; failure: ApiFailure };

export const ok = <T>(value: T): Result<T> => ({ ok: true, value });
export const fail = <T = never>(status: number, code: ApiErrorCode, message: string, target?: string, innerError?: ApiInnerError): Result<T> => ({
  ok: false,
  failure: { status, code, message, ...(target === undefined ? {} : { target }), ...(innerError ? { innerError } : {}) },
});

/** Rules whose refusal depends on the deal's current state, not on the request: 409 Conflict. */
const STATE_CONFLICTS = new Set(['terminal.locked', 'inbound.response_window_closed', 'microsoft.decision_window_closed', 'invitation.after_completion']);

function chain(violations: readonly Violation[]): ApiInnerError | undefined {
  const [first, ...rest] = violations;
  if (!first) return undefined;
  const inner: ApiInnerError = { code: first.code, message: first.message, target: first.field };
  const next = chain(rest);
  if (next) inner.innerError = next;
  return inner;
}

/** Fields a client sets; a derived field (the sales stage read from the status) is reported after them. */
const DERIVED_FIELDS = new Set(['salesStage', 'dealType', 'acceptedAt']);

export function violationFailure<T = never>(given: readonly Violation[]): Result<T> {
  const violations = [...given].sort((a, b) => Number(DERIVED_FIELDS.has(a.field)) - Number(DERIVED_FIELDS.has(b.field)));
  const first = violations[0] as Violation;
  const status = violations.every((v) => STATE_CONFLICTS.has(v.code)) ? 409 : 400;
  const message = violations.map((v) => `${v.field}: ${v.message}`).join(' ');
  return fail(status, 'invalidRequest', message, first.field, chain(violations));
}

export function errorBody(failure: ApiFailure): { error: { code: string; message: string; target?: string; innerError?: ApiInnerError } } {
  return {
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.target === undefined ? {} : { target: failure.target }),
      ...(failure.innerError ? { innerError: failure.innerError } : {}),
    },
  };
}
