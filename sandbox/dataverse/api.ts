/**
 * Routes one Web API request (from HTTP or from inside a `$batch`) to its handler and turns thrown
 * {@link DataverseError}s into Dataverse's error body.
 */
import { closeOpportunity, retrieveUserPrivileges, whoAmI } from './actions.js';
import { CODES, DataverseError, ODATA_HEADERS, errorResponse, type ApiRequest, type ApiResponse } from './api-types.js';
import { handleMetadata } from './metadata.js';
import { queryCollection } from './query.js';
import { requireAppendPrivileges, requirePrivilege, verbFor } from './privilege-check.js';
import { singleProperty, updateExisting } from './single-property.js';
import type { DataverseStore, TableState } from './store.js';
import { createRow, deleteRow, getRow, patchRow } from './writes.js';

/** The label a call is counted under: `GET opportunities`, `POST WinOpportunity`, `GET EntityDefinitions`. */
export function endpointLabel(method: string, path: string): string {
  const segment = /^[A-Za-z0-9_.$]+/.exec(path)?.[0] ?? path;
  return `${method} ${segment}`;
}

/** Functions answer GET only, actions POST only; another method finds no route (web-api-client-errors). */
const OPERATION_METHODS: Record<string, string> = { WhoAmI: 'GET', WinOpportunity: 'POST', LoseOpportunity: 'POST' };

function route(store: DataverseStore, req: ApiRequest): ApiResponse {
  const path = req.path.replace(/\/$/, '');
  const counted = /^(.+)\/\$count$/.exec(path);
  if (counted && req.method === 'GET') return countOnly(route(store, { ...req, path: counted[1]!, query: new URLSearchParams([...req.query, ['$count', 'true']]) }), path);
  const operation = OPERATION_METHODS[path.replace(/\(\)$/, '')];
  if (operation !== undefined && operation !== req.method) {
    throw new DataverseError(404, '', `No HTTP resource was found that matches the request URI '${req.serviceRoot}${req.path}'.`);
  }
  if (/^WhoAmI(\(\))?$/.test(path) && req.method === 'GET') return whoAmI(store, req);
  // Closing changes the opportunity, so it needs Write on it (our reading; UNVERIFIED which privileges a live environment checks).
  if (/^(Win|Lose)Opportunity$/.test(path)) requirePrivilege(store, req, store.table('opportunity')!, 'Write');
  if (path === 'WinOpportunity' && req.method === 'POST') return closeOpportunity(store, req, 'won');
  if (path === 'LoseOpportunity' && req.method === 'POST') return closeOpportunity(store, req, 'lost');
  const privileges = /^systemusers\(([0-9a-fA-F-]{36})\)\/Microsoft\.Dynamics\.CRM\.RetrieveUserPrivileges(\(\))?$/.exec(path);
  if (privileges && req.method === 'GET') return retrieveUserPrivileges(store, req, privileges[1]!.toLowerCase());
  if (/^(EntityDefinitions|RelationshipDefinitions)/.test(path)) {
    const answered = handleMetadata(store, req);
    if (answered) return answered;
  }

  const reference = /^([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)\/([A-Za-z0-9_]+)\/\$ref$/.exec(path);
  if (reference && req.method === 'DELETE') return removeReference(store, req, reference[1]!, reference[2]!.toLowerCase(), reference[3]!);
  const related = /^([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)\/([A-Za-z0-9_]+)$/.exec(path);
  if (related) return relatedResource(store, req, related[1]!, related[2]!.toLowerCase(), related[3]!);

  const single = /^([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)$/.exec(path);
  const collection = /^([A-Za-z0-9_]+)$/.exec(path);
  const set = single?.[1] ?? collection?.[1];
  const state = set ? store.bySet(set) : undefined;
  if (!state) throw new DataverseError(404, '0x8006088a', `Resource not found for the segment '${path.split('/')[0]}'.`);
  checkTablePrivileges(store, req, state, single ? state.rows.has(single[2]!.toLowerCase()) : false);
  if (single) {
    const id = single[2]!.toLowerCase();
    if (req.method === 'GET') return getRow(store, state, id, req);
    if (req.method === 'PATCH') return patchRow(store, state, id, req);
    if (req.method === 'DELETE') return deleteRow(store, state, id, req);
  } else {
    if (req.method === 'GET') return queryCollection(store, state, req);
    if (req.method === 'POST') return createRow(store, state, req);
  }
  throw new DataverseError(405, CODES.invalidArgument, `The HTTP method '${req.method}' is not allowed on '${path}'.`);
}

/**
 * `GET accounts/$count`, `GET accounts(<id>)/Account_Tasks/$count`: the number alone, as text/plain (count-rows:
 * "To get just a number that represents the count of a collection, append /$count"; retrieve-entity-using-web-api:
 * "The value returned includes the UTF-8 byte order mark (BOM)"), up to 5,000 as `@odata.count` is.
 */
function countOnly(collection: ApiResponse, path: string): ApiResponse {
  const count = (collection.body as Record<string, unknown> | undefined)?.['@odata.count'];
  if (typeof count !== 'number') throw new DataverseError(400, CODES.queryOption, `The $count segment is not supported on '${path}'.`);
  return { status: 200, headers: { ...ODATA_HEADERS, 'Content-Type': 'text/plain' }, body: `\uFEFF${count}` };
}

/** The table privileges a row or collection request needs, checked before anything is read or written. */
function checkTablePrivileges(store: DataverseStore, req: ApiRequest, state: TableState, rowExists: boolean): void {
  const verb = verbFor(req.method, rowExists);
  if (!verb) return;
  requirePrivilege(store, req, state, verb);
  if (req.method === 'POST' || req.method === 'PATCH') requireAppendPrivileges(store, req, state);
}

/**
 * `DELETE opportunities(<id>)/parentcontactid/$ref`: "remove a reference" of a single-valued navigation property
 * (associate-disassociate-entities-using-web-api), the same update as a PATCH of `"parentcontactid@odata.bind": null`
 * on an existing row: Write on the table, plug-ins run, the row's version moves; 204 without OData-EntityId.
 */
function removeReference(store: DataverseStore, req: ApiRequest, set: string, id: string, nav: string): ApiResponse {
  const state = store.bySet(set);
  if (!state) throw new DataverseError(404, '0x8006088a', `Resource not found for the segment '${set}'.`);
  return updateExisting(store, req, state, id, { [`${nav}@odata.bind`]: null });
}

/** `<set>(<id>)/<name>`: a collection-valued navigation property's rows, or one property (single-property.ts). */
function relatedResource(store: DataverseStore, req: ApiRequest, set: string, id: string, name: string): ApiResponse {
  const state = store.bySet(set);
  if (!state) throw new DataverseError(404, '0x8006088a', `Resource not found for the segment '${set}'.`);
  if (state.def.collections.has(name) && req.method === 'GET') return queryRelated(store, req, set, id, name);
  return singleProperty(store, req, state, id, name);
}

/** `GET accounts(<id>)/Account_Tasks`: the rows of a collection-valued navigation property. */
function queryRelated(store: DataverseStore, req: ApiRequest, set: string, id: string, nav: string): ApiResponse {
  const parent = store.bySet(set);
  if (!parent) throw new DataverseError(404, '0x8006088a', `Resource not found for the segment '${set}'.`);
  const link = parent.def.collections.get(nav);
  if (!link) throw new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${nav}' on type 'Microsoft.Dynamics.CRM.${parent.def.logicalName}'.`);
  requirePrivilege(store, req, parent, 'Read');
  const child = store.table(link.childTable)!;
  requirePrivilege(store, req, child, 'Read');
  if (!parent.rows.has(id)) throw new DataverseError(404, CODES.notFound, `${parent.def.logicalName} With Id = ${id} Does Not Exist`);
  return queryCollection(store, child, req, { column: `_${link.lookupColumn}_value`, equals: id });
}

export function dispatch(store: DataverseStore, req: ApiRequest): ApiResponse {
  // Rows this request saves name its caller in `createdby` / `modifiedby` (handled synchronously: no other request interleaves).
  const caller = store.caller;
  store.caller = req.callerId;
  try {
    return route(store, req);
  } catch (error) {
    if (error instanceof DataverseError) return errorResponse(error);
    throw error;
  } finally {
    store.caller = caller;
  }
}
