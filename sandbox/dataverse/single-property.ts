/**
 * One column or one single-valued navigation property of one row, addressed by appending its name to the
 * row's URI, as the documentation's samples do:
 * - `GET accounts(<id>)/name` → `{"@odata.context": "…$metadata#accounts(<id>)/name", "value": …}`
 *   (retrieve-entity-using-web-api, "Retrieve a single property value");
 * - `GET accounts(<id>)/primarycontactid?$select=fullname` → the related row as `…#contacts(fullname)/$entity`
 *   ("Retrieve navigation property values"); no related row → 204 (OData 4.0 part 1 §11.2.6: "If the
 *   navigation property does not reference an entity, the service returns 204 No Content");
 * - `PUT accounts(<id>)/name {"value": …}` and `DELETE accounts(<id>)/description` → 204
 *   (update-delete-entities-using-web-api, "Update a single property value", "Delete a single property
 *   value"; the `$batch` page's "Reference URI in request URL" sample sends `PUT $1/lastname`). "This can't be
 *   used with a single-valued navigation property": those are not accepted here.
 * The writes are the update a PATCH of that one column on an existing row is: Write on the table, plug-ins,
 * validation, one new version.
 */
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { formatRow, wireName } from './format.js';
import { requirePrivilege, verbFor } from './privilege-check.js';
import type { DataverseStore, TableState } from './store.js';
import { getRow, parseBody, patchRow } from './writes.js';

const notAProperty = (state: TableState, name: string) =>
  new DataverseError(400, CODES.propertyNotFound, `Could not find a property named '${name}' on type 'Microsoft.Dynamics.CRM.${state.def.logicalName}'.`);

/** `GET|PUT|DELETE <set>(<id>)/<property>` for a column or a single-valued navigation property. */
export function singleProperty(store: DataverseStore, req: ApiRequest, state: TableState, id: string, name: string): ApiResponse {
  const nav = state.def.navigation.get(name);
  if (nav && req.method === 'GET') return relatedRow(store, req, state, id, nav);
  const column = state.def.columns.get(name);
  if (!column || nav || wireName(state.def, name) !== name) throw notAProperty(state, name);
  if (req.method === 'GET') {
    requirePrivilege(store, req, state, 'Read');
    const row = state.rows.get(id);
    if (!row) throw new DataverseError(404, CODES.notFound, `${state.def.logicalName} With Id = ${id} Does Not Exist`);
    const value = formatRow(state.def, row, [name])[name] ?? null;
    return { status: 200, headers: { ...ODATA_HEADERS }, body: { '@odata.context': `${req.serviceRoot}$metadata#${state.def.entitySet}(${id})/${name}`, value } };
  }
  if (req.method === 'PUT') {
    const body = parseBody(req);
    if (!('value' in body)) throw new DataverseError(400, CODES.invalidArgument, `The request body for the property '${name}' must be an object with a 'value' property.`);
    return updateExisting(store, req, state, id, { [name]: body.value });
  }
  if (req.method === 'DELETE') return updateExisting(store, req, state, id, { [name]: null });
  throw new DataverseError(405, CODES.invalidArgument, `The HTTP method '${req.method}' is not allowed on '${state.def.entitySet}(${id})/${name}'.`);
}

/**
 * Updates columns of a row that must exist (`If-Match: *`, so a missing row is 404 and never created), as the
 * PATCH it stands for: the table's Write privilege, then {@link patchRow}; 204 without OData-EntityId.
 */
export function updateExisting(store: DataverseStore, req: ApiRequest, state: TableState, id: string, body: Record<string, unknown>): ApiResponse {
  const { prefer: _prefer, ...headers } = req.headers;
  const update: ApiRequest = { ...req, method: 'PATCH', headers: { ...headers, 'if-match': '*' }, body: JSON.stringify(body) };
  const verb = verbFor('PATCH', state.rows.has(id));
  if (verb) requirePrivilege(store, update, state, verb);
  patchRow(store, state, id, update);
  return { status: 204, headers: { ...ODATA_HEADERS } };
}

function relatedRow(store: DataverseStore, req: ApiRequest, state: TableState, id: string, nav: { column: string; target: string }): ApiResponse {
  requirePrivilege(store, req, state, 'Read');
  const row = state.rows.get(id);
  if (!row) throw new DataverseError(404, CODES.notFound, `${state.def.logicalName} With Id = ${id} Does Not Exist`);
  const targetId = row[`_${nav.column}_value`];
  const target = store.table(nav.target);
  if (typeof targetId !== 'string' || !target || !target.rows.has(targetId)) return { status: 204, headers: { ...ODATA_HEADERS } };
  requirePrivilege(store, req, target, 'Read');
  return getRow(store, target, targetId, req);
}
