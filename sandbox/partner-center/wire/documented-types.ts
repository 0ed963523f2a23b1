/**
 * Values checked against the types the documentation gives them, before anything is stored.
 *
 * - Decimals ("Referral resources": `dealValue` decimal; the V3 swagger: number). The documented PATCH
 *   sample sends `"value": "10000"`, a string, and the service's JSON reader takes a numeric string for
 *   a decimal property; so a numeric string is read as its number and stored and served as a number.
 *   Anything else (a non-numeric string, a boolean, an object) is refused naming the property.
 * - Enumerations with a documented value list (`type`: Independent | Shared) are refused outside it.
 * - Create: the properties "Create a referral" marks **Required** (ReferralType, CustomerProfile,
 *   Consent, Details) must be present; every missing one is listed, each in its own `innerError`.
 */
import { fail, ok, type Result } from '../failures.js';
import type { WireInnerError, WireReferral } from './types.js';

const REFERRAL_TYPES = ['Independent', 'Shared'];
/** "Create a referral", request-body table: the properties marked Required. */
export const REQUIRED_ON_CREATE = ['type', 'customerProfile', 'consent', 'details'] as const;

type Decimal = { ok: true; value: number | null | undefined } | { ok: false; message: string };

function decimal(value: unknown, where: string): Decimal {
  if (value === undefined || value === null || typeof value === 'number') {
    return typeof value === 'number' && !Number.isFinite(value) ? { ok: false, message: `${where} must be a decimal number.` } : { ok: true, value };
  }
  if (typeof value === 'string' && /^\s*-?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?\s*$/.test(value)) return { ok: true, value: Number(value) };
  return { ok: false, message: `${where} must be a decimal number; ${JSON.stringify(value)} is not one.` };
}

/** Every decimal the sandbox models, as [holder, key, path] triples. */
function decimalSlots(json: WireReferral): [Record<string, unknown>, string, string][] {
  const slots: [Record<string, unknown>, string, string][] = [];
  if (json.details && typeof json.details === 'object') {
    slots.push([json.details, 'dealValue', 'details.dealValue']);
    (json.details.requirements?.solutions ?? []).forEach((s, i) => {
      if (s && typeof s === 'object') slots.push([s, 'price', `details.requirements.solutions[${i}].price`], [s, 'quantity', `details.requirements.solutions[${i}].quantity`]);
    });
  }
  (json.partnerInvitations ?? []).forEach((inv, i) => {
    if (inv && typeof inv === 'object') slots.push([inv, 'dealValue', `partnerInvitations[${i}].dealValue`]);
  });
  return slots;
}

/** Converts documented decimals in place; refuses values the service could not read. */
export function coerceDocumentedTypes(json: WireReferral): Result<WireReferral> {
  const faults: WireInnerError[] = [];
  for (const [holder, key, path] of decimalSlots(json)) {
    if (!(key in holder)) continue;
    const read = decimal(holder[key], path);
    if (read.ok) holder[key] = read.value;
    else faults.push({ code: 'invalidValue', message: read.message, target: path });
  }
  if (json.type !== undefined && json.type !== null && !REFERRAL_TYPES.includes(String(json.type))) {
    faults.push({ code: 'invalidValue', message: `type must be one of ${REFERRAL_TYPES.join(', ')}; got ${JSON.stringify(json.type)}.`, target: 'type' });
  }
  return faults.length === 0 ? ok(json) : refusal(faults);
}

/** The Required properties of "Create a referral" that the body leaves out (or sets to null). */
export function checkRequiredOnCreate(json: WireReferral): Result<WireReferral> {
  const faults: WireInnerError[] = REQUIRED_ON_CREATE.filter((key) => json[key] === undefined || json[key] === null).map((key) => ({
    code: 'requiredProperty',
    message: `${key} is required to create a referral.`,
    target: key,
  }));
  return faults.length === 0 ? ok(json) : refusal(faults);
}

function refusal<T>(faults: WireInnerError[]): Result<T> {
  const chain = faults.reduceRight<WireInnerError | undefined>((inner, fault) => (inner ? { ...fault, innerError: inner } : { ...fault }), undefined);
  const first = faults[0] as WireInnerError;
  return fail(400, 'invalidRequest', faults.map((f) => f.message).join(' '), first.target, chain);
}
