/**
 * Whether a Partner Center answer fits the referral schema or the list-page schema (api-types.ts), asked
 * of each schema compiled once, on first use: zod's `z.compile` (4.5) generates flat checking code for a
 * schema and its `validate` (4.6) answers yes or no without building the parsed copy. A referral goes
 * through `safeParse` about three times slower (the interpreter's per-key, per-wrapper dispatch, then the
 * loose objects' second walk over every key), and only to be copied. These schemas transform nothing, so
 * an accepted value is its own parse member for member (zod's copy only lists declared keys first): the
 * callers keep the value itself and run `safeParse` only when the check says no, for its issues, which is
 * where the messages come from. Where code cannot be generated (`--disallow-code-generation-from-strings`)
 * `z.compile` hands the schema back and `validate` is the interpreter's answer: slower, still the same.
 */
import { z } from 'zod';
import { apiReferralPageSchema, apiReferralSchema, type ApiReferral, type ApiReferralPage } from './api-types.js';

function compiledCheck<T>(schema: z.ZodType<T>): (value: unknown) => value is T {
  let compiled: z.ZodType<T> | undefined;
  return (value: unknown): value is T => (compiled ??= z.compile(schema)).validate(value);
}

export const isApiReferral: (value: unknown) => value is ApiReferral = compiledCheck(apiReferralSchema);
export const isApiReferralPage: (value: unknown) => value is ApiReferralPage = compiledCheck(apiReferralPageSchema);
