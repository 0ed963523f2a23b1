/**
 * Requests copied from the Dataverse Web API documentation that address one property of a row, sent unchanged
 * (host, IDs and token substituted), and the answers it documents; and the `$batch` samples that use them.
 */
import assert from 'node:assert/strict';
import { useDocumentedExamplesSandbox } from '../helpers/dataverse-token.js';

describe('Dataverse sandbox answers the documented single-property requests', function () {
  this.timeout(20_000);
  const sandbox = useDocumentedExamplesSandbox();

  const create = async (set: string, body: Record<string, unknown>): Promise<string> => {
    const res = await fetch(`${sandbox.api}${set}`, { method: 'POST', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    assert.equal(res.status, 204, await res.text());
    return /\(([0-9a-f-]{36})\)$/.exec(res.headers.get('odata-entityid')!)![1]!;
  };
  const read = async (set: string, id: string, select: string) => (await (await fetch(`${sandbox.api}${set}(${id})?$select=${select}`, { headers: sandbox.headers })).json()) as Record<string, unknown>;

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api#retrieve-a-single-property-value
  it('GET <row>/name answers the value with the property\'s @odata.context', async () => {
    const id = await create('accounts', { name: 'Adventure Works (sample)' });
    const res = await fetch(`${sandbox.api}accounts(${id})/name`, { headers: sandbox.headers });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('odata-version'), '4.0');
    assert.deepEqual(await res.json(), { '@odata.context': `${sandbox.api}$metadata#accounts(${id})/name`, value: 'Adventure Works (sample)' });
    const missing = await fetch(`${sandbox.api}accounts(00000000-0000-0000-0000-0000000000ab)/name`, { headers: sandbox.headers });
    assert.equal(missing.status, 404);
    assert.equal(((await missing.json()) as { error: { code: string } }).error.code, '0x80040217');
    const unknown = await fetch(`${sandbox.api}accounts(${id})/nonexistent`, { headers: sandbox.headers });
    assert.equal(unknown.status, 400);
    assert.match(((await unknown.json()) as { error: { message: string } }).error.message, /Could not find a property named 'nonexistent'/);
  });

  // …#retrieve-navigation-property-values: GET accounts(…)/primarycontactid?$select=fullname → "#contacts(fullname)/$entity".
  it('GET <row>/primarycontactid?$select=fullname answers the related row; no related row answers 204', async () => {
    const contactId = await create('contacts', { firstname: 'Rene', lastname: 'Valdes (sample)' });
    const id = await create('accounts', { name: 'With a contact', 'primarycontactid@odata.bind': `contacts(${contactId})` });
    const res = await fetch(`${sandbox.api}accounts(${id})/primarycontactid?$select=fullname`, { headers: sandbox.headers });
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body['@odata.context'], `${sandbox.api}$metadata#contacts(fullname)/$entity`);
    assert.equal(body.fullname, 'Rene Valdes (sample)');
    assert.equal(body.contactid, contactId);
    assert.match(String(body['@odata.etag']), /^W\/"\d+"$/);
    const alone = await create('accounts', { name: 'Without a contact' });
    const none = await fetch(`${sandbox.api}accounts(${alone})/primarycontactid?$select=fullname`, { headers: sandbox.headers });
    assert.equal(none.status, 204);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/update-delete-entities-using-web-api#update-a-single-property-value
  // and #delete-a-single-property-value: both answer "HTTP/1.1 204 No Content".
  it('PUT <row>/name {"value": …} and DELETE <row>/description answer 204 and change the row', async () => {
    const id = await create('accounts', { name: 'Sample Account', description: 'This is the description of the sample account' });
    const before = await read('accounts', id, 'name');
    const put = await fetch(`${sandbox.api}accounts(${id})/name`, { method: 'PUT', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ value: 'Updated Sample Account Name' }) });
    assert.equal(put.status, 204, await put.text());
    assert.equal(put.headers.get('odata-version'), '4.0');
    const del = await fetch(`${sandbox.api}accounts(${id})/description`, { method: 'DELETE', headers: { ...sandbox.headers, 'Content-Type': 'application/json' } });
    assert.equal(del.status, 204, await del.text());
    const after = await read('accounts', id, 'name,description');
    assert.equal(after.name, 'Updated Sample Account Name');
    assert.equal(after.description, null);
    assert.notEqual(after['@odata.etag'], before['@odata.etag']);
    // An update, never an upsert: a row that does not exist is not created.
    const ghost = '00000000-0000-0000-0000-0000000000cd';
    const missing = await fetch(`${sandbox.api}accounts(${ghost})/name`, { method: 'PUT', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ value: 'x' }) });
    assert.equal(missing.status, 404);
    assert.equal((await fetch(`${sandbox.api}accounts(${ghost})`, { headers: sandbox.headers })).status, 404);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#reference-uris-in-an-operation
  const changeSet = (parts: string[]) => {
    const cs = 'changeset_dd81ccab-11ce-4d57-b91d-12c4e25c3cab';
    const lines = ['--batch_AAA123', `Content-Type: multipart/mixed; boundary=${cs}`, ''];
    parts.forEach((part, i) => lines.push(`--${cs}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', `Content-ID: ${i + 1}`, '', part, ''));
    lines.push(`--${cs}--`, '--batch_AAA123--', '');
    return lines.join('\r\n');
  };
  const sendBatch = (body: string) =>
    fetch(`${sandbox.api}$batch`, { method: 'POST', headers: { ...sandbox.headers, 'Content-Type': 'multipart/mixed;boundary=batch_AAA123' }, body });
  const org = () => sandbox.dv.url;

  it('$batch "Reference URIs in request body": an account binds originatingleadid and primarycontactid to $1 and $2', async () => {
    const res = await sendBatch(changeSet([
      `POST ${org()}/api/data/v9.2/leads HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\r\n    "firstname":"first name",\r\n    "lastname":"last name"\r\n}`,
      `POST ${org()}/api/data/v9.2/contacts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{"firstname":"first name"}`,
      `POST ${org()}/api/data/v9.2/accounts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\r\n    "name":"IcM Account",\r\n    "originatingleadid@odata.bind":"$1",\r\n    "primarycontactid@odata.bind":"$2"\r\n}`,
    ]));
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(text.match(/HTTP\/1\.1 204 No Content/g)?.length, 3, text);
    const [leadId, contactId, accountId] = [...text.matchAll(/OData-EntityId: \S+\(([0-9a-f-]{36})\)/g)].map((m) => m[1]!);
    const account = await read('accounts', accountId!, 'name,_originatingleadid_value,_primarycontactid_value');
    assert.equal(account._originatingleadid_value, leadId);
    assert.equal(account._primarycontactid_value, contactId);
  });

  it('$batch "Reference URI in request URL": PUT $1/lastname sets the new contact\'s last name', async () => {
    const res = await sendBatch(changeSet([
      `POST ${org()}/api/data/v9.2/contacts HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\r\n  "firstname":"First Name",\r\n  "lastname":"Last name"\r\n}`,
      'PUT $1/lastname HTTP/1.1\r\nContent-Type: application/json\r\n\r\n{\r\n  "value":"BBBBB"\r\n}',
    ]));
    const text = await res.text();
    assert.equal(res.status, 200, text);
    assert.equal(text.match(/HTTP\/1\.1 204 No Content/g)?.length, 2, text);
    const contactId = /OData-EntityId: \S+\(([0-9a-f-]{36})\)/.exec(text)![1]!;
    assert.equal((await read('contacts', contactId, 'lastname')).lastname, 'BBBBB');
  });
});
