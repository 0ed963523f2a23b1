/**
 * Partner Center referral JSON ↔ canonical `Referral`, and the JSON Patch between two referrals.
 * The pieces live in `mapping/`; this is the one import for the client and the sandbox.
 */
export { referralFromApi, referralFromValidApi, parseApiReferral } from './mapping/from-api.js';
export { createBody, referralToApi } from './mapping/to-api.js';
export { patchOperations, SERVICE_OWNED_FIELDS } from './mapping/patch-operations.js';
export { applyPatch, JsonPatchError, parsePointer, escapePointerToken } from './mapping/json-patch.js';
export { ReferralMappingError } from './mapping/errors.js';
export type { JsonPatchOp, ApiReferral } from './api-types.js';
