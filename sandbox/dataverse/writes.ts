/**
 * Create, update, upsert and delete with Dataverse's semantics:
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/create-entity-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api
 * https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api
 */
import { randomUUID } from 'node:crypto';
import { annotateLookups, annotationsWanted } from './annotations.js';
import { CODES, DataverseError, ODATA_HEADERS, type ApiRequest, type ApiResponse } from './api-types.js';
import { checkSelect, etagOf, expandRows, formatRow, parseExpand } from './format.js';
import { parsePrefer } from './query.js';
import type { DataverseStore, Row, TableState } from './store.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function parseBody(req: ApiRequest): Record<string, unknown> {
  if (!req.body.trim()) throw new DataverseError(400, CODES.invalidArgument, 'The request body is empty.');
  try {
    const value = JSON.parse(req.body) as unknown;
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    /* answered below */
  }
  throw new DataverseError(400, CODES.invalidArgument, 'The request body is not a valid JSON object.');
}

/** Resolves `/accounts(<guid>)` or an absolute URL ending in it to the set and the key. */
export function parseEntityReference(value: unknown): { set: string; id: string } | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /([A-Za-z0-9_]+)\(([0-9a-fA-F-]{36})\)\/?$/.exec(value);
  return m ? { set: m[1]!, id: m[2]!.toLowerCase() } : undefined;
}

/** Validates a JSON body against the table and turns it into stored values (lookups as `_x_value`). */
export function toStoredValues(store: DataverseStore, state: TableState, body: Record<string, unknown>, recordId: string, creating: boolean): Row {
  const def = state.def;
  const out: Row = {};
  const fail = (message: string) => new DataverseError(400, CODES.invalidArgument, message);
  for (const [key, value] of Object.entries(body)) {
    if (key.startsWith('@odata.')) continue;
    if (key.endsWith('@odata.bind')) {
      const nav = key.slice(0, -'@odata.bind'.length);
      const link = def.navigation.get(nav);
      if (!link) {
        throw new DataverseError(400, CODES.payloadError, `Error identified in Payload provided by the user for Entity :'${def.entitySet}'  ---->  InnerException : Microsoft.OData.ODataException: An undeclared property '${nav}' which only has property annotations in the payload but no property value was found in the payload. In OData, only declared navigation properties and declared named streams can be represented as properties without values.`);
      }
      if (value === null) {
        out[`_${link.column}_value`] = null;
        continue;
      }
      const ref = parseEntityReference(value);
      const target = store.table(link.target);
      if (!ref || !target || target.def.entitySet !== ref.set) throw fail(`The value '${String(value)}' of ${key} on ${def.logicalName} ${recordId} is not a reference to ${link.target}.`);
      if (!target.rows.has(ref.id)) throw new DataverseError(404, CODES.notFound, `${link.target} With Id = ${ref.id} Does Not Exist`);
      out[`_${link.column}_value`] = ref.id;
      out[`_${link.column}_value@target`] = link.target;
      continue;
    }
    const col = def.columns.get(key);
    if (!col || col.type === 'Lookup' || col.type === 'Customer' || col.type === 'Owner') {
      throw new DataverseError(400, CODES.propertyNotFound, `An error occurred while validating input parameters: Microsoft.Crm.CrmException: Invalid property '${key}' was found in entity 'Microsoft.Dynamics.CRM.${def.logicalName}'. ---> Microsoft.OData.ODataException: Does not support untyped value in non-open type.`);
    }
    if (col.readOnly || key === def.key) continue;
    // An opportunity is closed only by the Win/LoseOpportunity actions; an update to Open (0) reopens it.
    if (key === 'statecode' && (creating || (def.logicalName === 'opportunity' && value !== 0))) {
      throw fail(creating ? `statecode is not valid on create of ${def.logicalName} ${recordId}.` : `Use the WinOpportunity or LoseOpportunity action to close opportunity ${recordId}; an update sets statecode only to 0 (Open), to reopen it.`);
    }
    if (value !== null) {
      const type = col.type;
      const wrong =
        ((type === 'String' || type === 'Memo') && typeof value !== 'string') ||
        ((type === 'Money' || type === 'Decimal' || type === 'Double' || type === 'Integer' || type === 'BigInt' || type === 'Picklist' || type === 'State' || type === 'Status') && typeof value !== 'number') ||
        (type === 'Boolean' && typeof value !== 'boolean') ||
        (type === 'DateTime' && (typeof value !== 'string' || Number.isNaN(Date.parse(value)))) ||
        (type === 'Uniqueidentifier' && (typeof value !== 'string' || !GUID.test(value)));
      if (wrong) throw fail(`Cannot convert the literal '${JSON.stringify(value)}' to the expected type of ${def.logicalName}.${key} (${type}) on record ${recordId}.`);
      if ((type === 'String' || type === 'Memo') && col.maxLength !== undefined && (value as string).length > col.maxLength) {
        // Dataverse's own wording (two spaces after the first sentence), with its StringLengthTooLong code.
        throw new DataverseError(400, CODES.stringTooLong, `A validation error occurred.  The length of the '${key}' attribute of the '${def.logicalName}' entity exceeded the maximum allowed length of '${col.maxLength}'.`);
      }
      if (type === 'Picklist' && col.options && !col.options.includes(value as number)) {
        throw fail(`A validation error occurred. The value ${String(value)} of '${key}' on record ${recordId} of type '${def.logicalName}' is outside the valid range. Accepted Values: ${col.options.join(',')}`);
      }
    }
    if (typeof value === 'number' && col.precision !== undefined) {
      out[key] = Number(value.toFixed(col.precision));
      continue;
    }
    out[key] = col.type === 'DateTime' && typeof value === 'string' ? (col.dateOnly ? value.slice(0, 10) : new Date(value).toISOString().replace(/\.\d{3}Z$/, 'Z')) : value;
  }
  if (def.logicalName === 'opportunity') {
    // Reopening (statecode 0) without a status reason gets In Progress.
    if (out.statecode === 0) out.statuscode ??= 1;
    // A status reason is checked against the state the row will have, sent or current: Dataverse refuses
    // `{statuscode: 3}` on an open opportunity as it refuses `{statecode: 0, statuscode: 3}`.
    if (out.statuscode !== undefined) {
      const stateCode = Number(out.statecode ?? (creating ? 0 : state.rows.get(recordId)?.statecode ?? 0));
      const [stateName, allowed] = OPPORTUNITY_STATUS_REASONS[stateCode] ?? ['Open', []];
      if (!allowed.includes(out.statuscode as number)) {
        throw fail(`${String(out.statuscode)} is not a valid status code for state code OpportunityState.${stateName} on opportunity ${recordId}; allowed: ${allowed.join(', ')}.`);
      }
    }
  }
  return out;
}

/** Opportunity status reasons per state (opportunity table reference: statecode, statuscode). */
export const OPPORTUNITY_STATUS_REASONS: Readonly<Record<number, readonly [string, readonly number[]]>> = {
  0: ['Open', [1, 2]], // In Progress, On Hold
  1: ['Won', [3]],
  2: ['Lost', [4, 5]], // Canceled, Out-Sold
};

/**
 * A row created with a Money value and no currency gets the organisation's base currency (the one with
 * exchange rate 1), as Dataverse does: the documented account create answers `_transactioncurrencyid_value`.
 */
function withBaseCurrency(store: DataverseStore, state: TableState, values: Row): Row {
  const hasMoney = Object.entries(values).some(([key, value]) => value !== null && state.def.columns.get(key)?.type === 'Money');
  if (!hasMoney || !state.def.columns.has('transactioncurrencyid') || values._transactioncurrencyid_value) return values;
  const base = [...(store.table('transactioncurrency')?.rows.values() ?? [])].find((row) => row.exchangerate === 1);
  if (!base) return values;
  return { ...values, _transactioncurrencyid_value: base.transactioncurrencyid, '_transactioncurrencyid_value@target': 'transactioncurrency' };
}

/**
 * Runs the organisation's plug-in steps on the row as it would be saved: a refusal stops the save; the
 * columns a PreOperation step sets are added to the values saved (the Target). The row is put together only
 * when a step is registered for this table and message (most saves have none).
 */
function runPlugins(store: DataverseStore, state: TableState, message: 'Create' | 'Update', values: Row, existing?: Row): Row {
  let saved = values;
  for (const step of store.plugins) {
    if (step.table !== state.def.logicalName || !step.messages.includes(message)) continue;
    const row = { ...existing, ...saved };
    const refusal = step.refuses(row);
    if (refusal !== undefined) throw new DataverseError(400, CODES.pluginAborted, refusal);
    if (step.sets) saved = { ...saved, ...step.sets(row) };
  }
  return saved;
}

function entityId(req: ApiRequest, state: TableState, id: string): string {
  return `${req.serviceRoot}${state.def.entitySet}(${id})`;
}

/**
 * A row as answered: a GET names its `$select` in the context (`$metadata#accounts(name,revenue)/$entity`,
 * retrieve-entity-using-web-api), a write with `return=representation` does not (`$metadata#accounts/$entity`,
 * create-entity-web-api and update-delete-entities-using-web-api).
 */
function representation(req: ApiRequest, state: TableState, row: Row, status: number, preferred = true): ApiResponse {
  const select = req.query.get('$select')?.split(',').map((s) => s.trim());
  const selected = !preferred && select ? `(${select.join(',')})` : '';
  return {
    status,
    headers: { ...ODATA_HEADERS, ...(preferred ? { 'Preference-Applied': 'return=representation' } : {}), ETag: etagOf(row) },
    body: { '@odata.context': `${req.serviceRoot}$metadata#${state.def.entitySet}${selected}/$entity`, ...formatRow(state.def, row, select) },
  };
}

export function createRow(store: DataverseStore, state: TableState, req: ApiRequest): ApiResponse {
  const body = parseBody(req);
  const given = body[state.def.key];
  const id = typeof given === 'string' && GUID.test(given) ? given.toLowerCase() : randomUUID();
  if (state.rows.has(id)) throw new DataverseError(412, CODES.duplicate, 'A record with matching key values already exists.');
  const values = runPlugins(store, state, 'Create', withBaseCurrency(store, state, toStoredValues(store, state, body, id, true)));
  const row = store.insert(state.def.logicalName, values, id);
  if (parsePrefer(req.headers.prefer).returnRepresentation) return expanded(store, state, row, req, representation(req, state, row, 201));
  return { status: 204, headers: { ...ODATA_HEADERS, 'OData-EntityId': entityId(req, state, id) } };
}

export function patchRow(store: DataverseStore, state: TableState, id: string, req: ApiRequest): ApiResponse {
  const body = parseBody(req);
  const existing = state.rows.get(id);
  const ifMatch = req.headers['if-match'];
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifMatch !== undefined && !existing) throw new DataverseError(404, CODES.notFound, `${state.def.logicalName} With Id = ${id} Does Not Exist`);
  if (ifMatch !== undefined && ifMatch !== '*' && existing && ifMatch !== etagOf(existing)) {
    throw new DataverseError(412, CODES.concurrency, "The version of the existing record doesn't match the RowVersion property provided.");
  }
  if (ifNoneMatch === '*' && existing) throw new DataverseError(412, CODES.duplicate, 'A record with matching key values already exists.');
  const stored = toStoredValues(store, state, body, id, !existing);
  const values = runPlugins(store, state, existing ? 'Update' : 'Create', existing ? stored : withBaseCurrency(store, state, stored), existing);
  const row = existing ? store.update(state.def.logicalName, id, values) : store.insert(state.def.logicalName, values, id);
  if (parsePrefer(req.headers.prefer).returnRepresentation) return expanded(store, state, row, req, representation(req, state, row, 200));
  return { status: 204, headers: { ...ODATA_HEADERS, 'OData-EntityId': entityId(req, state, id) } };
}

export function getRow(store: DataverseStore, state: TableState, id: string, req: ApiRequest): ApiResponse {
  const row = state.rows.get(id);
  if (!row) throw new DataverseError(404, CODES.notFound, `${state.def.logicalName} With Id = ${id} Does Not Exist`);
  checkSelect(state.def, req.query.get('$select')?.split(',').map((s) => s.trim()));
  if (clientCopyIsCurrent(req, row)) return { status: 304, headers: { ...ODATA_HEADERS, 'Content-Type': 'application/json; odata.metadata=minimal' } };
  return expanded(store, state, row, req, representation(req, state, row, 200, false));
}

/**
 * A row answer with the `$expand`ed navigation properties the request names: a retrieve
 * (retrieve-entity-using-web-api, "Retrieve related table rows by expanding navigation properties") and a
 * create or update with `Prefer: return=representation` (create-entity-web-api, "Associate table rows on
 * create", which POSTs with `$expand`).
 */
function expanded(store: DataverseStore, state: TableState, row: Row, req: ApiRequest, answer: ApiResponse): ApiResponse {
  const expand = parseExpand(req.query.get('$expand'));
  if (expand.length && answer.body) expandRows(store, state, [row], [answer.body as Row], expand);
  const wanted = annotationsWanted(req.headers.prefer);
  if (wanted && answer.body) {
    const bodies = [answer.body as Row];
    annotateLookups(store, state.def, [row], bodies, wanted);
    answer.body = bodies[0];
  }
  return answer;
}

/**
 * Conditional retrieval: `If-None-Match` with the row's current ETag answers 304 Not Modified, except when
 * the query has `$expand` or asks for annotations, whose values may come from other rows
 * (https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#conditional-retrievals).
 */
function clientCopyIsCurrent(req: ApiRequest, row: Row): boolean {
  const ifNoneMatch = req.headers['if-none-match'];
  if (ifNoneMatch === undefined || req.query.has('$expand') || parsePrefer(req.headers.prefer).includeAnnotations) return false;
  return ifNoneMatch.split(',').some((tag) => tag.trim() === '*' || tag.trim() === etagOf(row));
}

export function deleteRow(store: DataverseStore, state: TableState, id: string, req: ApiRequest): ApiResponse {
  const row = state.rows.get(id);
  if (!row) throw new DataverseError(404, CODES.notFound, `${state.def.logicalName} With Id = ${id} Does Not Exist`);
  const ifMatch = req.headers['if-match'];
  if (ifMatch !== undefined && ifMatch !== '*' && ifMatch !== etagOf(row)) {
    throw new DataverseError(412, CODES.concurrency, "The version of the existing record doesn't match the RowVersion property provided.");
  }
  store.remove(state.def.logicalName, id);
  return { status: 204, headers: { ...ODATA_HEADERS } };
}
