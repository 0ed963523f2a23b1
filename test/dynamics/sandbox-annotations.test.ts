/**
 * `Prefer: odata.include-annotations` on a read: the lookup annotations the documentation shows
 * (query-data-web-api, "Lookup property data"; compose-http-requests-handle-errors, "Request annotations").
 */
import assert from 'node:assert/strict';
import { useDocumentedExamplesSandbox } from '../helpers/dataverse-token.js';

const FORMATTED = '@OData.Community.Display.V1.FormattedValue';
const NAV = '@Microsoft.Dynamics.CRM.associatednavigationproperty';
const LOGICAL = '@Microsoft.Dynamics.CRM.lookuplogicalname';

describe('Dataverse sandbox answers lookup annotations when asked', function () {
  this.timeout(20_000);
  const sandbox = useDocumentedExamplesSandbox();

  const accountWithContact = async () => {
    const post = (set: string, body: unknown) => fetch(`${sandbox.api}${set}`, { method: 'POST', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    const contact = await post('contacts', { firstname: 'Sam', lastname: 'Smith' });
    const contactId = /\(([0-9a-f-]{36})\)$/.exec(contact.headers.get('odata-entityid')!)![1]!;
    const account = await post('accounts', { name: 'Contoso, Ltd. (sample)', 'primarycontactid@odata.bind': `contacts(${contactId})` });
    return { contactId, accountId: /\(([0-9a-f-]{36})\)$/.exec(account.headers.get('odata-entityid')!)![1]! };
  };

  it('odata.include-annotations="*": each lookup gets its formatted value (the related row\'s name), navigation property and table', async () => {
    const { contactId, accountId } = await accountWithContact();
    const res = await fetch(`${sandbox.api}accounts?$select=name,_primarycontactid_value&$filter=accountid eq ${accountId}`, { headers: { ...sandbox.headers, Prefer: 'odata.include-annotations="*"' } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('preference-applied') ?? '', /odata\.include-annotations="\*"/);
    const row = ((await res.json()) as { value: Record<string, unknown>[] }).value[0]!;
    assert.equal(row[`_primarycontactid_value${FORMATTED}`], 'Sam Smith');
    assert.equal(row[`_primarycontactid_value${NAV}`], 'primarycontactid');
    assert.equal(row[`_primarycontactid_value${LOGICAL}`], 'contact');
    assert.equal(row._primarycontactid_value, contactId);
    const keys = Object.keys(row);
    assert.ok(keys.indexOf(`_primarycontactid_value${FORMATTED}`) < keys.indexOf('_primarycontactid_value'), 'annotations come before the value they describe');
  });

  it('a named annotation gets only that one, on a single-row read too; no preference gets none', async () => {
    const { accountId } = await accountWithContact();
    const url = `${sandbox.api}accounts(${accountId})?$select=name,_primarycontactid_value`;
    const named = (await (await fetch(url, { headers: { ...sandbox.headers, Prefer: 'odata.include-annotations="OData.Community.Display.V1.FormattedValue"' } })).json()) as Record<string, unknown>;
    assert.equal(named[`_primarycontactid_value${FORMATTED}`], 'Sam Smith');
    assert.equal(named[`_primarycontactid_value${NAV}`], undefined);
    const wildcard = (await (await fetch(url, { headers: { ...sandbox.headers, Prefer: 'odata.include-annotations="Microsoft.Dynamics.CRM.*"' } })).json()) as Record<string, unknown>;
    assert.equal(wildcard[`_primarycontactid_value${FORMATTED}`], undefined);
    assert.equal(wildcard[`_primarycontactid_value${LOGICAL}`], 'contact');
    const plain = (await (await fetch(url, { headers: sandbox.headers })).json()) as Record<string, unknown>;
    assert.deepEqual(Object.keys(plain).filter((k) => k.includes('@') && k !== '@odata.etag' && k !== '@odata.context'), []);
  });
});
