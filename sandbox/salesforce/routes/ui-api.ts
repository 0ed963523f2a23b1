/**
 * The slice of the User Interface API that creates and reads list views (API version 61.0 and later):
 * POST /ui-api/list-info/{objectApiName} with a List Info Input, GET /ui-api/list-info/{objectApiName}/{listViewApiName}.
 * https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_resources_lists_object_post.htm
 * https://developer.salesforce.com/docs/atlas.en-us.uiapi.meta/uiapi/ui_api_responses_list_metadata.htm
 * A created view is also a ListView row (queryable by SobjectType and DeveloperName). UNVERIFIED: the status
 * code of a successful create (201 here) and the error code for a taken API name.
 */
import type { SandboxRequest } from '../../common/http.js';
import type { SfContext } from '../context.js';
import { SfFault } from '../errors.js';
import type { ObjectDef } from '../schema.js';
import type { Rec } from '../store.js';
import { sendSf } from '../wire.js';
import { bodyObject } from './sobjects.js';

const OPERATORS = ['Equals', 'NotEqual', 'LessThan', 'GreaterThan', 'LessOrEqual', 'GreaterOrEqual', 'Contains', 'NotContain', 'StartsWith', 'Includes', 'Excludes', 'Within'];
/** Where the view's definition is kept on its ListView row (not a field: the REST API does not show it). */
const INFO = '__listInfo';

interface FilterInput {
  fieldApiName: string;
  operandLabels: string[];
  operator: string;
}

const invalid = (message: string, code = 'INVALID_INPUT') => new SfFault(400, code, message);

function checkedFilters(def: ObjectDef, raw: unknown): FilterInput[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) throw invalid('filteredByInfo must be an array');
  return raw.map((f: Partial<FilterInput>, i) => {
    if (!f.fieldApiName || !def.fields.has(f.fieldApiName.toLowerCase())) throw invalid(`filteredByInfo[${i}]: No such column '${String(f.fieldApiName)}' on entity '${def.name}'`, 'INVALID_FIELD');
    if (!f.operator || !OPERATORS.includes(f.operator)) throw invalid(`filteredByInfo[${i}]: operator must be one of ${OPERATORS.join(', ')}`);
    if (!Array.isArray(f.operandLabels)) throw invalid(`filteredByInfo[${i}]: operandLabels must be an array`);
    return { fieldApiName: def.fields.get(f.fieldApiName.toLowerCase())!.name, operandLabels: f.operandLabels.map(String), operator: f.operator };
  });
}

function listInfo(def: ObjectDef, row: Rec): Record<string, unknown> {
  const info = row[INFO] as { displayColumns: string[]; filteredByInfo: FilterInput[]; filterLogicString: string | null; visibility: string };
  const label = (name: string) => def.fields.get(name.toLowerCase())?.label ?? name;
  return {
    cloneable: true, createable: true, deletable: true, updateable: true,
    displayColumns: info.displayColumns.map((name) => ({ fieldApiName: name, label: label(name), sortable: true })),
    filterLogicString: info.filterLogicString,
    filteredByInfo: info.filteredByInfo.map((f) => ({ ...f, label: label(f.fieldApiName) })),
    label: row.Name,
    listReference: { id: row.Id, listViewApiName: row.DeveloperName, objectApiName: def.name, type: 'listView' },
    orderedByInfo: [],
    visibility: info.visibility,
  };
}

export function registerUiApiRoutes(ctx: SfContext): void {
  const base = '/services/data/:version/ui-api/list-info/:object';
  const objectOf = (req: SandboxRequest) => {
    const def = ctx.store.object(req.params.object ?? '');
    if (!def) throw new SfFault(404, 'NOT_FOUND', 'The requested resource does not exist');
    return def;
  };
  const find = (def: ObjectDef, apiName: string) => ctx.store.all('ListView').find((v) => v.SobjectType === def.name && String(v.DeveloperName).toLowerCase() === apiName.toLowerCase());

  ctx.router.on('POST', base, (req, res) => {
    ctx.counters.hit('ui-api list-info');
    const def = objectOf(req);
    const body = bodyObject(req);
    const apiName = String(body.listViewApiName ?? '');
    if (!/^[A-Za-z][A-Za-z0-9_]{0,79}$/.test(apiName)) throw invalid('listViewApiName must start with a letter and use only letters, digits and underscores (at most 80)');
    if (find(def, apiName)) throw invalid(`There is already a list view named ${apiName} on ${def.name}.`, 'DUPLICATE_DEVELOPER_NAME');
    const label = String(body.label ?? '');
    if (!label || label.length > 40) throw invalid('label is required and must be at most 40 characters');
    const columns = Array.isArray(body.displayColumns) ? body.displayColumns.map(String) : ['Name'];
    const unknown = columns.filter((c) => !def.fields.has(c.toLowerCase()));
    if (unknown.length) throw invalid(`displayColumns: No such column '${unknown[0]}' on entity '${def.name}'`, 'INVALID_FIELD');
    const row: Rec = {
      Id: ctx.store.ids.next('00B'), Name: label, DeveloperName: apiName, SobjectType: def.name, NamespacePrefix: null,
      [INFO]: { displayColumns: columns.map((c) => def.fields.get(c.toLowerCase())!.name), filteredByInfo: checkedFilters(def, body.filteredByInfo), filterLogicString: body.filterLogicString ?? null, visibility: String(body.visibility ?? 'Public') },
    };
    ctx.store.put('ListView', row);
    ctx.persist();
    sendSf(res, 201, listInfo(def, row));
  });

  ctx.router.on('GET', `${base}/:listView`, (req, res) => {
    ctx.counters.hit('ui-api list-info');
    const def = objectOf(req);
    const row = find(def, req.params.listView ?? '');
    if (!row) throw new SfFault(404, 'NOT_FOUND', 'The requested resource does not exist');
    sendSf(res, 200, listInfo(def, row));
  });
}
