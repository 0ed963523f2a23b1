/**
 * What the end of a Partner Center request says in the log. A refusal is told on its own; no answer after
 * every retry is told once per streak (failure-streak.ts), at warn with its retries, and the same failure
 * again at debug; the answer that ends a streak, and an answer that needed retries, at info. The streak
 * lives in a holder that may outlive the client (HttpDeps.failureStreak).
 */
import { AuthError, NotFoundError, type ConnectorError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { afterFailure, retriesSaid, streakEndSaid, wasAnswered, type FailureStreak, type RetryTaken } from './failure-streak.js';

/** A failure streak kept across clients (HttpDeps.failureStreak). */
export interface FailureStreakHolder {
  current?: FailureStreak;
}

interface Request {
  operation: string;
  record?: string;
}

/** A request was answered: a failure streak ends, and its retries (each logged at debug) are told in one line. */
export function logAnswered(logger: Logger, holder: FailureStreakHolder, spec: Request, retried: readonly RetryTaken[]): void {
  const ended = holder.current;
  if (ended) {
    logger.info({ code: ended.code, failures: ended.failures, since: ended.since }, streakEndSaid(ended));
    holder.current = undefined;
  }
  if (retried.length > 0) logger.info({ op: spec.operation, record: spec.record, retries: retried.length }, `Partner Center ${spec.operation} answered after it was ${retriesSaid(retried)}`);
}

/** A request failed with `typed` after `retried`. */
export function logFailed(logger: Logger, holder: FailureStreakHolder, spec: Request, typed: ConnectorError, retried: readonly RetryTaken[], nowIso: string): void {
  if (wasAnswered(typed.code)) {
    // An answer, if a refusal: it ends a streak of no answers, and each refusal is told on its own. A refused
    // sign-in is logged with the run's failure (once while it lasts); a 404 by each caller, which says what it means.
    logAnswered(logger, holder, spec, []);
    const level = typed instanceof AuthError || typed instanceof NotFoundError ? 'debug' : 'warn';
    logger[level]({ op: spec.operation, record: spec.record, code: typed.code, context: typed.context }, typed.message);
    return;
  }
  // A failure that lasts (Partner Center down for hours) is told once, with its retries, not at every request.
  const { first, streak } = afterFailure(holder.current, typed.code, nowIso);
  holder.current = streak;
  const fields = { op: spec.operation, record: spec.record, code: typed.code, context: typed.context, retries: retried.length };
  if (first) logger.warn(fields, `${typed.message} (${retriesSaid(retried)}); the same failure again is logged at debug until Partner Center answers`);
  else logger.debug({ ...fields, failures: streak.failures, since: streak.since }, typed.message);
}
