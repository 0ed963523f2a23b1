/**
 * The JSON Patch that turns one canonical referral into another, in Partner Center's terms (§1.6):
 * only `replace` and `add`, on the API's camelCase paths.
 *
 * - A field that is new gets `add` (an RFC 6902 `replace` needs an existing target); a changed one gets
 *   `replace`; a cleared one gets `replace` with `null`, since there is no `remove`.
 * - Collections (`/team`, `/details/requirements/solutions`, `/customerProfile/team`, `/target`,
 *   `/partnerInvitations`): new members are appended with `add …/-` (the documented `/team/-` form),
 *   members edited in place get `replace …/{i}`.
 * - When the CRM removes a member (the new list is shorter), there is no `remove` to send: we `replace`
 *   the whole collection with the new list. Whether the live API accepts a whole-array replace on `/team`
 *   is UNVERIFIED (partner-center-api.md §5 item 6); the sandbox accepts it.
 * - Fields the service owns or derives are never sent: ids, eTag, timestamps, links, owner organisation,
 *   direction, the deal type and Microsoft's engagement.
 */
import type { Referral } from '../../../core/model/index.js';
import type { JsonPatchOp } from '../api-types.js';
import { escapePointerToken } from './json-patch.js';
import { referralToApi } from './to-api.js';
import { sameJson } from './same-json.js';

export const SERVICE_OWNED_FIELDS: readonly string[] = [
  'id',
  'engagementId',
  'eTag',
  'createdDateTime',
  'updatedDateTime',
  'acceptedDateTime',
  'expirationDateTime',
  'links',
  'organizationId',
  'organizationName',
  'direction',
  'dealType',
  'microsoftEngagement',
  'dealRegistration',
  'qualification',
];

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Objects and arrays are walked member by member without first comparing them whole: a whole comparison at
 * every level re-compared each subtree once per level above it (a referral's ops cost its size times its
 * depth), and the walk itself finds no operation where nothing differs.
 */
function diff(before: unknown, after: unknown, path: string, ops: JsonPatchOp[], skip?: ReadonlySet<string>): void {
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const [key, value] of Object.entries(after)) {
      if (skip?.has(key) || Object.is(before[key], value)) continue;
      const child = `${path}/${escapePointerToken(key)}`;
      if (before[key] === undefined) {
        if (value !== undefined) ops.push({ op: 'add', path: child, value });
      } else diff(before[key], value, child, ops);
    }
    for (const key of Object.keys(before)) {
      if (!skip?.has(key) && after[key] === undefined && before[key] !== undefined && before[key] !== null) {
        ops.push({ op: 'replace', path: `${path}/${escapePointerToken(key)}`, value: null });
      }
    }
    return;
  }
  if (Array.isArray(before) && Array.isArray(after) && after.length >= before.length) {
    before.forEach((item, i) => {
      if (!sameJson(item, after[i])) ops.push({ op: 'replace', path: `${path}/${i}`, value: after[i] });
    });
    for (const item of after.slice(before.length)) ops.push({ op: 'add', path: `${path}/-`, value: item });
    return;
  }
  if (sameJson(before, after)) return;
  ops.push({ op: 'replace', path, value: after });
}

/**
 * The service-owned fields are passed over at the top level, not deleted from both sides first: `delete`
 * turned each side into a slow dictionary-mode object that the diff then walked, on every update.
 */
const SERVICE_OWNED = new Set(SERVICE_OWNED_FIELDS);

export function patchOperations(previous: Referral, next: Referral): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  diff(referralToApi(previous), referralToApi(next), '', ops, SERVICE_OWNED);
  return ops;
}
