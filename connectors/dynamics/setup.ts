/**
 * `setup()` creates the connector's columns, child tables and relationships through the metadata API
 * and is safe to run again (it reads what exists first). `check()` verifies them, the application
 * user's privileges (WhoAmI + RetrieveUserPrivileges), change tracking, the stage mapping and the
 * remaining request budget, without writing anything.
 */
import { NotFoundError } from '../../core/errors.js';
import type { DynamicsFieldRow, DynamicsTable } from '../../mappings/fields.dynamics.js';
import { mapDynamicsStage, normaliseStageName, type DynamicsStageRow } from '../../mappings/stages.dynamics.js';
import type { CheckItem, CheckReport, CrmStage, SetupReport } from '../../core/engine/crm-port.js';
import type { DataverseClient } from './client.js';
import { attributeBody, childTables, connectorColumns, relationshipBody, tableBody } from './metadata-bodies.js';
import type { ConnectorNames } from './schema-names.js';
import { installViews } from './views-setup.js';
import { gatherCheckItems } from '../check-items.js';
import { LEAD_COLUMNS } from '../../mappings/leads.dynamics.js';

export interface SetupDeps {
  client: DataverseClient;
  fields: readonly DynamicsFieldRow[];
  stages: readonly DynamicsStageRow[];
  names: ConnectorNames;
  /** The CRM stage names config `stageOverrides` maps (check verifies each names a process stage). */
  overriddenStages: readonly string[];
  /** The canonical paths config `fieldOverrides` maps to other columns, to name the key of a missing one. */
  overriddenFields: readonly string[];
  listStages(): Promise<CrmStage[]>;
}

const LOGICAL: Record<DynamicsTable, (n: ConnectorNames) => string> = {
  opportunity: () => 'opportunity', account: () => 'account', contact: () => 'contact', teammember: (n) => n.teamTable, solution: (n) => n.solutionTable, invitation: (n) => n.invitationTable,
};

async function exists(client: DataverseClient, what: string, url: string): Promise<boolean> {
  try {
    await client.get(what, url);
    return true;
  } catch (error) {
    if (error instanceof NotFoundError) return false;
    throw error;
  }
}

async function attributeNames(client: DataverseClient, logicalName: string): Promise<Set<string>> {
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query-metadata-web-api
  const res = await client.get<{ value: { LogicalName: string }[] }>(`reading the columns of ${logicalName}`, `EntityDefinitions(LogicalName='${logicalName}')/Attributes?$select=LogicalName`);
  return new Set(res.data.value.map((a) => a.LogicalName));
}

const post = (client: DataverseClient, what: string, url: string, body: unknown) =>
  client.request(what, { method: 'POST', url, data: body, headers: { 'Content-Type': 'application/json' }, idempotent: false });

export async function runSetup(deps: SetupDeps): Promise<SetupReport> {
  const { client, names } = deps;
  const report: SetupReport = { created: [], alreadyPresent: [] };
  const columns = connectorColumns(deps.fields, names.prefix);
  for (const spec of childTables(names)) {
    if (await exists(client, `looking for table ${spec.logicalName}`, `EntityDefinitions(LogicalName='${spec.logicalName}')?$select=LogicalName`)) {
      report.alreadyPresent.push(`table ${spec.logicalName}`);
    } else {
      await post(client, `creating table ${spec.logicalName}`, 'EntityDefinitions', tableBody(spec, names));
      report.created.push(`table ${spec.logicalName}`);
    }
  }
  for (const [table, rows] of columns) {
    const logicalName = LOGICAL[table](names);
    const present = await attributeNames(client, logicalName);
    for (const row of rows) {
      const name = `${logicalName}.${row.column}`;
      if (present.has(row.column)) report.alreadyPresent.push(name);
      else {
        await post(client, `creating column ${name}`, `EntityDefinitions(LogicalName='${logicalName}')/Attributes`, attributeBody(row));
        report.created.push(name);
      }
    }
  }
  for (const spec of childTables(names)) {
    if (await exists(client, `looking for relationship ${spec.relationship}`, `RelationshipDefinitions(SchemaName='${spec.relationship}')?$select=SchemaName`)) {
      report.alreadyPresent.push(`relationship ${spec.relationship}`);
    } else {
      await post(client, `creating relationship ${spec.relationship}`, 'RelationshipDefinitions', relationshipBody(spec, names));
      report.created.push(`relationship ${spec.relationship}`);
    }
  }
  const leadColumns = await attributeNames(client, 'lead');
  for (const spec of LEAD_COLUMNS) {
    const column = spec.column.replace('{prefix}', names.prefix);
    if (leadColumns.has(column)) report.alreadyPresent.push(`lead.${column}`);
    else {
      await post(client, `creating column lead.${column}`, "EntityDefinitions(LogicalName='lead')/Attributes", attributeBody({ ...spec, column }));
      report.created.push(`lead.${column}`);
    }
  }
  // The views filter on the columns just installed, so they come last.
  await installViews(client, names.prefix, report);
  return report;
}

/**
 * Setting a lookup (`@odata.bind`) needs Append on the row's table and AppendTo on the table it points to
 * (security roles' Append and Append To). What payloads.ts binds: an opportunity to its account and contact,
 * a contact to its account, the child rows to their opportunity. (The currency lookup needs AppendTo on
 * transactioncurrency too; its privilege's name is UNVERIFIED, so check does not ask for it.)
 */
const APPENDS = ['prvAppendOpportunity', 'prvAppendToOpportunity', 'prvAppendToAccount', 'prvAppendContact', 'prvAppendToContact'];

export function requiredPrivileges(names: ConnectorNames): string[] {
  const standard = ['prvReadOpportunity', 'prvCreateOpportunity', 'prvWriteOpportunity', 'prvReadAccount', 'prvCreateAccount', 'prvWriteAccount', 'prvReadContact', 'prvCreateContact', 'prvWriteContact', ...APPENDS];
  const custom = [names.teamTable, names.solutionTable, names.invitationTable].flatMap((t) => ['Read', 'Create', 'Write', 'Delete'].map((v) => `prv${v}${t}`));
  // The connector creates team member, solution and (for a partner the record names nowhere) invitation rows
  // bound to their opportunity.
  const childAppends = [names.teamTable, names.solutionTable, names.invitationTable].map((t) => `prvAppend${t}`);
  return [...standard, ...custom, ...childAppends];
}

async function checkPrivileges(deps: SetupDeps): Promise<CheckItem> {
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/whoami
  const who = await deps.client.get<{ UserId: string }>('asking WhoAmI', 'WhoAmI');
  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/reference/retrieveuserprivileges
  const res = await deps.client.get<{ RolePrivileges: { PrivilegeName: string }[] }>('reading the application user privileges', `systemusers(${who.data.UserId})/Microsoft.Dynamics.CRM.RetrieveUserPrivileges()`);
  const held = new Set(res.data.RolePrivileges.map((p) => p.PrivilegeName.toLowerCase()));
  const missing = requiredPrivileges(deps.names).filter((p) => !held.has(p.toLowerCase()));
  return {
    name: 'privileges',
    ok: missing.length === 0,
    detail: missing.length ? `The application user ${who.data.UserId} lacks ${missing.join(', ')}: add them to its security role.` : `The application user ${who.data.UserId} holds every privilege the connector needs.`,
  };
}

/** Each table's column names, read once per check. */
function columnReader(client: DataverseClient): (logicalName: string) => Promise<Set<string>> {
  const read = new Map<string, Promise<Set<string>>>();
  return (logicalName) => {
    if (!read.has(logicalName)) read.set(logicalName, attributeNames(client, logicalName));
    return read.get(logicalName)!;
  };
}

/**
 * Mapped columns setup does not create (standard ones, or a fieldOverrides column without the prefix) that
 * the environment lacks: every read selects them, so each sync would fail with Dataverse's 400. Named with
 * the config key when an override put them there.
 */
async function missingOtherColumns(deps: SetupDeps, columnsOf: (logicalName: string) => Promise<Set<string>>, missingTables: readonly string[]): Promise<string[]> {
  const out: string[] = [];
  for (const row of deps.fields.filter((r) => !r.column.startsWith(deps.names.prefix))) {
    const logicalName = LOGICAL[row.table](deps.names);
    if (missingTables.includes(`table ${logicalName}`) || (await columnsOf(logicalName)).has(row.column)) continue;
    out.push(`${logicalName}.${row.column}${deps.overriddenFields.includes(row.path) ? ` (crm > dynamics > fieldOverrides > ${row.path})` : ''}`);
  }
  return out;
}

async function checkSchema(deps: SetupDeps): Promise<CheckItem[]> {
  const { client, names } = deps;
  const missing: string[] = [];
  for (const spec of childTables(names)) {
    if (!(await exists(client, `looking for table ${spec.logicalName}`, `EntityDefinitions(LogicalName='${spec.logicalName}')?$select=LogicalName`))) missing.push(`table ${spec.logicalName}`);
    else if (!(await exists(client, `looking for relationship ${spec.relationship}`, `RelationshipDefinitions(SchemaName='${spec.relationship}')?$select=SchemaName`))) missing.push(`relationship ${spec.relationship}`);
  }
  const columnsOf = columnReader(client);
  for (const [table, rows] of connectorColumns(deps.fields, names.prefix)) {
    const logicalName = LOGICAL[table](names);
    if (missing.includes(`table ${logicalName}`)) continue;
    const present = await columnsOf(logicalName);
    missing.push(...rows.filter((r) => !present.has(r.column)).map((r) => `${logicalName}.${r.column}`));
  }
  const notOurs = await missingOtherColumns(deps, columnsOf, missing);
  const consent = deps.fields.find((r) => r.path === 'consentToShareContacts');
  const consentPresent = consent !== undefined && (await columnsOf(LOGICAL[consent.table](names))).has(consent.column);
  // The child tables are tracked too (child-changes.ts): a row changed alone is seen only through them.
  const tracked = ['opportunity', ...childTables(names).map((t) => t.logicalName).filter((t) => !missing.includes(`table ${t}`))];
  const untracked: string[] = [];
  for (const table of tracked) {
    const tracking = await client.get<{ ChangeTrackingEnabled?: boolean }>(`reading ${table} metadata`, `EntityDefinitions(LogicalName='${table}')?$select=ChangeTrackingEnabled`);
    if (tracking.data.ChangeTrackingEnabled !== true) untracked.push(table);
  }
  return [
    {
      name: 'consent field',
      ok: consentPresent && consent?.direction === 'both',
      detail: !consent || !consentPresent
        ? `The consent column ${consent?.column ?? '(unmapped)'} is missing: run "cosell setup dynamics" or fix fieldOverrides. Without it no customer contact is sent.`
        : `${LOGICAL[consent.table](names)}.${consent.column}: customer contacts are sent only while it is Yes; ${consent.direction === 'both' ? 'synced both ways' : `direction "${consent.direction}" must be "both" so inbound consent reaches the CRM and a withdrawal reaches Partner Center`}.`,
    },
    {
      name: 'columns and tables',
      ok: missing.length === 0 && notOurs.length === 0,
      detail: missing.length || notOurs.length
        ? [
          ...(missing.length ? [`Missing ${missing.join(', ')}: run "cosell setup dynamics".`] : []),
          ...(notOurs.length ? [`Missing ${notOurs.join(', ')}: "cosell setup dynamics" creates only columns named with the publisher prefix (${names.prefix}); create ${notOurs.length > 1 ? 'them' : 'it'} in the environment or fix the mapping.`] : []),
        ].join(' ')
        : 'Every connector column, table and relationship exists.',
    },
    {
      name: 'change tracking',
      ok: untracked.length === 0,
      detail: untracked.length === 0
        ? `Change tracking is on for ${tracked.join(', ')}.`
        : `Turn on "Track changes" for ${untracked.join(', ')}: the connector reads each run's changes through it (without it on opportunity it cannot see deletions; without it on a child table its sync fails, naming the table).`,
    },
  ];
}

const quoted = (names: readonly string[]) => names.map((n) => `"${n}"`).join(', ');

/**
 * Every open process stage maps, and every stageOverrides entry names one of them (as the mapping matches
 * names: case, spaces and a "1-" prefix aside): an override naming none (a typo, another environment's
 * stage) maps nothing, and the stage it was meant for stays unmapped or keeps its default, unseen.
 */
function stageCheck(open: readonly CrmStage[], stages: readonly DynamicsStageRow[], overridden: readonly string[]): CheckItem {
  const unmapped = open.filter((s) => !mapDynamicsStage(s.name, stages).mapped).map((s) => s.name);
  const known = new Set(open.map((s) => normaliseStageName(s.name)));
  const unknown = overridden.filter((name) => !known.has(normaliseStageName(name)));
  const problems = [
    ...(unknown.length ? [`crm > dynamics > stageOverrides names ${quoted(unknown)}, not a stage of this environment's sales processes (they have ${quoted(open.map((s) => s.name))}). Fix or remove ${unknown.length > 1 ? 'them' : 'it'}.`] : []),
    ...(unmapped.length ? [`No Partner Center sales stage for ${quoted(unmapped)}: add them to stageOverrides.`] : []),
  ];
  return {
    name: 'stage mapping',
    ok: problems.length === 0,
    detail: problems.length ? problems.join(' ') : `All ${open.length} open sales stages map to Partner Center sales stages.`,
  };
}

export async function runCheck(deps: SetupDeps, burstRemaining: () => number | undefined): Promise<CheckReport> {
  const { items, attempt } = gatherCheckItems();
  // WhoAmI is the first call: when the token or the environment cannot be had, it says so as "sign-in",
  // and the other items, which would fail the same way, are not tried.
  if (!(await attempt('sign-in', () => checkPrivileges(deps)))) return { ready: false, items };
  await attempt('columns and tables', () => checkSchema(deps));
  await attempt('stage mapping', async () => stageCheck((await deps.listStages()).filter((s) => !s.isClosed), deps.stages, deps.overriddenStages));
  const remaining = burstRemaining();
  items.push({
    name: 'request budget',
    ok: remaining === undefined || remaining > 100,
    detail: remaining === undefined ? 'Dataverse reported no remaining-request count.' : `${remaining} requests remain in the current 5-minute service protection window.`,
  });
  return { ready: items.every((i) => i.ok), items };
}
