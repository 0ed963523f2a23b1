/**
 * Every request the Partner Center sandbox answered with a 4xx from its own handling: the refusals a client
 * earned by what it sent (a broken rule, a stale ETag, a state the referral had left), kept apart from the
 * injected faults and throttling, which are the sandbox's doing. The model-based test (test/model/) reads it
 * to check that the connector sends nothing Partner Center must refuse for a reason the connector could
 * have known.
 */
import type { WireInnerError } from './wire/types.js';

export interface Refusal {
  /** The sandbox clock's time of the answer. */
  at: string;
  method: string;
  path: string;
  status: number;
  /** The top-level error code (`invalidRequest`, `itemNotFound`, …). */
  code: string;
  /** The rule codes of every violation (the chain of `innerError`s), empty when the refusal names none. */
  rules: string[];
  message: string;
}

interface ErrorBody {
  error?: { code?: string; message?: string; innerError?: WireInnerError };
}

function ruleCodes(inner: WireInnerError | undefined): string[] {
  const out: string[] = [];
  for (let e = inner; e; e = e.innerError) if (typeof e.code === 'string') out.push(e.code);
  return out;
}

export class RefusalLog {
  readonly entries: Refusal[] = [];

  record(at: string, method: string, path: string, status: number, body: unknown): void {
    if (status < 400 || status >= 500) return;
    const error = (body as ErrorBody | undefined)?.error;
    this.entries.push({ at, method, path, status, code: error?.code ?? '', rules: ruleCodes(error?.innerError), message: error?.message ?? '' });
  }

  clear(): void {
    this.entries.length = 0;
  }
}
