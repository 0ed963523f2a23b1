/**
 * Privilege checks on table requests: Dataverse checks that the caller's security roles hold the table's
 * privilege for the operation before it touches a row, and refuses with 403, code 0x80040220
 * (-2147220960, "Principal user is missing privilege on OTC for entity":
 * https://learn.microsoft.com/troubleshoot/power-platform/dataverse/user-permissions/client-errors).
 * The message's wording follows answers quoted from live environments (e.g. a Dynamics community thread:
 * "Principal user (Id=…, type=8, roleCount=8, privilegeCount=420, accessMode='0 Read-Write', …), is missing
 * prvReadOfficeDocument privilege (Id=…) on OTC=4490 for entity 'officedocument' (LocalizedName='Office
 * Document'). context.Caller=…. Consider adding missed privilege to one of the principal (user/team) roles.",
 * with ApiExceptionHttpStatusCode 403); the sandbox leaves out the fields it has no value for (AADObjectId,
 * MetadataCachePrivilegesCount).
 */
import { CODES, DataverseError, type ApiRequest } from './api-types.js';
import { privilegeId, privilegeName, type DataverseStore, type TableState } from './store.js';

export type PrivilegeVerb = 'Create' | 'Read' | 'Write' | 'Delete' | 'Append' | 'AppendTo';

/**
 * Object type codes of the standard tables (the table references' ObjectTypeCode). Custom tables get
 * codes from 10,000 in the order they were created, as Dataverse numbers them (the exact number UNVERIFIED).
 */
const OBJECT_TYPE_CODES: Record<string, number> = {
  account: 1, contact: 2, opportunity: 3, lead: 4, systemuser: 8, team: 9, businessunit: 10,
  savedquery: 1039, processstage: 4724, task: 4212, transactioncurrency: 9105, opportunityclose: 4208,
};

function objectTypeCode(store: DataverseStore, logicalName: string): number {
  const known = OBJECT_TYPE_CODES[logicalName];
  if (known !== undefined) return known;
  const custom = [...store.tables.values()].filter((t) => t.def.custom).map((t) => t.def.logicalName);
  return 10000 + Math.max(0, custom.indexOf(logicalName));
}

/**
 * The store keeps one security role's privileges: the application user's (the connector). People who work
 * in the UI (the seller console) are modelled with a role that holds everything, so that revoking a
 * privilege from the connector does not stop the seller whose records it syncs.
 */
function isApplicationUser(store: DataverseStore, callerId: string): boolean {
  const user = store.table('systemuser')?.rows.get(callerId);
  return typeof user?.applicationid === 'string' && user.applicationid !== '';
}

/** Refuses the request, as Dataverse does, when the caller lacks `verb` on the table. */
export function requirePrivilege(store: DataverseStore, req: ApiRequest, state: TableState, verb: PrivilegeVerb): void {
  const name = privilegeName(verb, state.def.logicalName);
  if (store.privileges.has(name) || !isApplicationUser(store, req.callerId)) return;
  const def = state.def;
  throw new DataverseError(
    403,
    CODES.privilege,
    `Principal user (Id=${req.callerId}, type=8, roleCount=1, privilegeCount=${store.privileges.size}, accessMode='0 Read-Write', businessUnitId=${store.businessUnitId}), ` +
      `is missing ${name} privilege (Id=${privilegeId(name)}) on OTC=${objectTypeCode(store, def.logicalName)} for entity '${def.logicalName}' (LocalizedName='${def.schemaName}'). ` +
      `context.Caller=${req.callerId}. Consider adding missed privilege to one of the principal (user/team) roles.`,
  );
}

/** The privilege a table request needs: a PATCH of a row that does not exist creates it (upsert). */
export function verbFor(method: string, rowExists: boolean): PrivilegeVerb | undefined {
  if (method === 'GET') return 'Read';
  if (method === 'POST') return 'Create';
  if (method === 'PATCH') return rowExists ? 'Write' : 'Create';
  if (method === 'DELETE') return 'Delete';
  return undefined;
}

/**
 * Associating rows through `@odata.bind` needs Append on the row's table and AppendTo on the table it
 * points to (the Append and Append To privileges of security roles; which side each one is checked on
 * is our reading of the security-roles page, UNVERIFIED against a live environment).
 */
export function requireAppendPrivileges(store: DataverseStore, req: ApiRequest, state: TableState): void {
  const body = parsedOrEmpty(req.body);
  const targets = Object.keys(body)
    .filter((key) => key.endsWith('@odata.bind') && body[key] !== null)
    .map((key) => state.def.navigation.get(key.slice(0, -'@odata.bind'.length))?.target)
    .filter((target): target is string => target !== undefined);
  if (targets.length === 0) return;
  requirePrivilege(store, req, state, 'Append');
  for (const target of new Set(targets)) {
    const targetState = store.table(target);
    if (targetState) requirePrivilege(store, req, targetState, 'AppendTo');
  }
}

/** The body's properties; a body that is not a JSON object is refused later by the write itself. */
function parsedOrEmpty(body: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(body || '{}');
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}
