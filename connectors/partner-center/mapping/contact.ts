/** Contacts and solutions: the two shapes that appear in several places of a referral. */
import { SolutionKind, type Contact, type Solution } from '../../../core/model/index.js';
import type { ApiMember, ApiSolution } from '../api-types.js';
import { compact, toNumber } from './values.js';

/** Canonical `phone` is the API's `phoneNumber` (§1.7 Member). Missing parts read as empty strings. */
export function memberToContact(member: ApiMember): Contact {
  return {
    firstName: member.firstName ?? '',
    lastName: member.lastName ?? '',
    phone: member.phoneNumber ?? '',
    email: member.email ?? '',
  };
}

export function contactToMember(contact: Contact): ApiMember {
  return { firstName: contact.firstName, lastName: contact.lastName, phoneNumber: contact.phone, email: contact.email };
}

/**
 * `type` is the documented SolutionType (None | Category | Name); a solution picked by its id is a
 * `Name` tag. The kind travels in `solutionType` ("3P" in the current sample; our reading for the others).
 */
export function solutionToApi(solution: Solution): ApiSolution {
  return compact({
    id: solution.id,
    name: solution.name,
    type: 'Name',
    solutionType: SolutionKind.toApi(solution.kind),
    currency: solution.currency,
    price: solution.price,
    quantity: solution.quantity,
    incentiveEligible: solution.incentiveEligible,
    assessmentLocation: solution.assessmentLocation,
  }) as ApiSolution;
}

/** `at` converts one field and names it when it fails (see from-api.ts). */
export type FieldConverter = <T>(field: string, convert: () => T) => T;

/**
 * Older payloads carry only `{id, name, type}` (2019 docs, §1.7 SolutionTag). Without a `solutionType`,
 * a `SOL-Microsoft…` id is Microsoft's and anything else is read as another party's solution, rather
 * than refusing the whole referral; a `solutionType` that is present but unknown is still refused.
 */
function solutionKind(solution: ApiSolution): string {
  if (solution.solutionType) return solution.solutionType;
  return /^SOL-Microsoft/i.test(solution.id) ? SolutionKind.toApi('microsoft') : SolutionKind.toApi('other-partner');
}

export function solutionFromApi(solution: ApiSolution, field: string, at: FieldConverter): Solution {
  return compact({
    id: solution.id,
    kind: at(`${field}.kind`, () => SolutionKind.fromApi(solutionKind(solution))),
    name: solution.name ?? undefined,
    currency: solution.currency ?? undefined,
    price: at(`${field}.price`, () => toNumber(solution.price)),
    quantity: at(`${field}.quantity`, () => toNumber(solution.quantity)),
    incentiveEligible: solution.incentiveEligible ?? undefined,
    assessmentLocation: solution.assessmentLocation ?? undefined,
  }) as Solution;
}
