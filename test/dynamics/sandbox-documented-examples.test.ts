/**
 * Requests copied from the Dataverse Web API documentation, sent unchanged (host and token substituted),
 * and the answers it documents.
 */
import assert from 'node:assert/strict';
import { useDocumentedExamplesSandbox } from '../helpers/dataverse-token.js';

describe('Dataverse sandbox answers the documented examples', function () {
  this.timeout(20_000);
  const sandbox = useDocumentedExamplesSandbox();

  const select = '$select=accountcategorycode,accountnumber,creditonhold,createdon,numberofemployees,name,revenue';
  const anAccount = async () => {
    const res = await fetch(`${sandbox.api}accounts?$select=name&$top=1`, { headers: sandbox.headers });
    return ((await res.json()) as { value: { accountid: string }[] }).value[0]!.accountid;
  };

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/perform-conditional-operations-using-web-api#conditional-retrievals
  // GET …/accounts(…)?$select=… with If-None-Match: W/"468026" → "HTTP/1.1 304 Not Modified" when the row has not changed.
  it('conditional retrieval: If-None-Match with the current ETag answers 304 Not Modified without a body', async () => {
    const id = await anAccount();
    const first = await fetch(`${sandbox.api}accounts(${id})?${select}`, { headers: sandbox.headers });
    const etag = first.headers.get('etag')!;
    assert.match(etag, /^W\/"\d+"$/);
    const again = await fetch(`${sandbox.api}accounts(${id})?${select}`, { headers: { ...sandbox.headers, 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('odata-version'), '4.0');
    assert.equal(await again.text(), '');
  });

  it('conditional retrieval: a changed row, $expand, or annotations asked for answer 200 with the row', async () => {
    const id = await anAccount();
    const etag = (await fetch(`${sandbox.api}accounts(${id})?${select}`, { headers: sandbox.headers })).headers.get('etag')!;
    // "If the query includes $expand it will never return 304 Not Modified."
    const expanded = await fetch(`${sandbox.api}accounts(${id})?$select=name&$expand=primarycontactid($select=fullname)`, { headers: { ...sandbox.headers, 'If-None-Match': etag } });
    assert.equal(expanded.status, 200);
    // "When the Prefer: odata.include-annotations header is included with a GET request it will never return 304."
    const annotated = await fetch(`${sandbox.api}accounts(${id})?${select}`, { headers: { ...sandbox.headers, 'If-None-Match': etag, Prefer: 'odata.include-annotations="*"' } });
    assert.equal(annotated.status, 200);
    const patched = await fetch(`${sandbox.api}accounts(${id})`, { method: 'PATCH', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ name: 'Updated Account Name' }) });
    assert.equal(patched.status, 204);
    const changed = await fetch(`${sandbox.api}accounts(${id})?${select}`, { headers: { ...sandbox.headers, 'If-None-Match': etag } });
    assert.equal(changed.status, 200);
    assert.equal(((await changed.json()) as { name: string }).name, 'Updated Account Name');
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/execute-batch-operations-using-web-api#handling-errors
  // Three task creates, the first with a subject over 200 characters. "Without setting the Prefer:
  // odata.continue-on-error request header, the batch fails on the first request in the batch" and answers
  // "HTTP/1.1 400 BadRequest" holding that request's error; with the header, "200 OK" and every answer.
  const tasksBatch = (boundary: string, accountId: string) => {
    const part = (subject: string) => [
      `--${boundary}`, 'Content-Type: application/http', 'Content-Transfer-Encoding: binary', '',
      'POST /api/data/v9.2/tasks HTTP/1.1', 'Content-Type: application/json; type=entry', '',
      JSON.stringify({ subject, 'regardingobjectid_account_task@odata.bind': `accounts(${accountId})` }),
    ].join('\r\n');
    return `${[part(`Subject is too long ${'x'.repeat(190)}`), part('Task 2 in batch'), part('Task 3 in batch')].join('\r\n')}\r\n--${boundary}--\r\n`;
  };

  it('$batch: the first failing request stops the batch, which answers 400 with that request\'s error', async () => {
    const boundary = 'batch_431faf5a-f979-4ee6-a374-d242f8962d41';
    const res = await fetch(`${sandbox.api}$batch`, {
      method: 'POST',
      headers: { ...sandbox.headers, 'If-None-Match': 'null', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
      body: tasksBatch(boundary, await anAccount()),
    });
    assert.equal(res.status, 400);
    const text = await res.text();
    assert.match(text, /HTTP\/1\.1 400 Bad Request/);
    assert.match(text, /"code":"0x80044331"/);
    assert.doesNotMatch(text, /204 No Content/, 'the other requests were not processed');
  });

  it('$batch with Prefer: odata.continue-on-error answers 200 with every request\'s answer', async () => {
    const boundary = 'batch_662d4610-7f12-4895-ac4a-3fdf77cc10a1';
    const res = await fetch(`${sandbox.api}$batch`, {
      method: 'POST',
      headers: { ...sandbox.headers, Prefer: 'odata.continue-on-error', 'If-None-Match': 'null', 'Content-Type': `multipart/mixed; boundary="${boundary}"` },
      body: tasksBatch(boundary, await anAccount()),
    });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.equal(text.match(/HTTP\/1\.1 204 No Content/g)?.length, 2);
    assert.match(text, /"code":"0x80044331"/);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/query/filter-rows: dates, numbers and
  // GUIDs are unquoted literals (`$filter=modifiedon ge 2023-04-01T00:00:00Z`); only strings are quoted. A
  // quoted date or number is another type, refused by the OData parser; the sandbox compared it as text.
  it('$filter refuses a quoted date or number compared with a DateTime or number column', async () => {
    const filter = async (expression: string) => fetch(`${sandbox.api}accounts?$select=name&$filter=${encodeURIComponent(expression)}`, { headers: sandbox.headers });
    for (const [expression, edm, kind] of [
      ["modifiedon gt '2024-01-01T00:00:00Z'", 'Edm.DateTimeOffset', 'GreaterThan'],
      ["revenue ge '5'", 'Edm.Decimal', 'GreaterThanOrEqual'],
    ]) {
      const res = await filter(expression!);
      assert.equal(res.status, 400, expression);
      const body = (await res.json()) as { error: { code: string; message: string } };
      assert.equal(body.error.message, `A binary operator with incompatible types was detected. Found operand types '${edm}' and 'Edm.String' for operator kind '${kind}'.`);
    }
    assert.equal((await filter('modifiedon gt 2024-01-01T00:00:00Z and revenue ge 5')).status, 200);
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/retrieve-entity-using-web-api
  // ("Retrieve related table rows by expanding navigation properties"):
  // GET accounts(…)?$select=name&$expand=primarycontactid($select=contactid,fullname) → the row with
  // "primarycontactid": {"@odata.etag": …, "contactid": …, "fullname": …}; likewise a collection-valued one.
  it('a single-row retrieve expands single- and collection-valued navigation properties', async () => {
    const accountId = await anAccount();
    const contacts = await fetch(`${sandbox.api}contacts?$select=fullname&$top=1`, { headers: sandbox.headers });
    const contactId = ((await contacts.json()) as { value: { contactid: string }[] }).value[0]!.contactid;
    const bind = await fetch(`${sandbox.api}accounts(${accountId})`, { method: 'PATCH', headers: { ...sandbox.headers, 'Content-Type': 'application/json' }, body: JSON.stringify({ 'primarycontactid@odata.bind': `/contacts(${contactId})` }) });
    assert.equal(bind.status, 204);
    const res = await fetch(`${sandbox.api}accounts(${accountId})?$select=name&$expand=primarycontactid($select=contactid,fullname),Account_Tasks($select=subject)`, { headers: sandbox.headers });
    assert.equal(res.status, 200);
    const row = (await res.json()) as { primarycontactid?: { contactid: string; fullname: string; '@odata.etag': string } | null; Account_Tasks?: unknown[] };
    assert.ok(row.primarycontactid, 'primarycontactid expanded');
    assert.equal(row.primarycontactid.contactid, contactId);
    assert.equal(typeof row.primarycontactid.fullname, 'string');
    assert.ok(Array.isArray(row.Account_Tasks), 'Account_Tasks expanded');
  });

  // https://learn.microsoft.com/power-apps/developer/data-platform/webapi/associate-disassociate-entities-using-web-api
  // ("Remove a reference to a table row"): "For a single-valued navigation property, remove the $id query string
  // parameter": DELETE …/opportunities(…)/customerid_account/$ref → 204; as a PATCH of "…@odata.bind": null.
  it('a DELETE of a single-valued navigation property\'s $ref clears the lookup', async () => {
    const res = await fetch(`${sandbox.api}opportunities?$select=name&$filter=_parentcontactid_value ne null&$top=1`, { headers: sandbox.headers });
    const oppId = ((await res.json()) as { value: { opportunityid: string }[] }).value[0]!.opportunityid;
    const removed = await fetch(`${sandbox.api}opportunities(${oppId})/parentcontactid/$ref`, { method: 'DELETE', headers: sandbox.headers });
    assert.equal(removed.status, 204, await removed.text());
    const row = (await (await fetch(`${sandbox.api}opportunities(${oppId})?$select=_parentcontactid_value,name`, { headers: sandbox.headers })).json()) as { _parentcontactid_value: unknown; name: unknown };
    assert.equal(row._parentcontactid_value, null);
    assert.equal(typeof row.name, 'string', 'the row itself stays');
    const missing = await fetch(`${sandbox.api}opportunities(d0000000-0000-4000-8000-0000000000ff)/parentcontactid/$ref`, { method: 'DELETE', headers: sandbox.headers });
    assert.equal(missing.status, 404, 'no row is made for a missing one');
    const unknown = await fetch(`${sandbox.api}opportunities(${oppId})/nosuchlookup/$ref`, { method: 'DELETE', headers: sandbox.headers });
    assert.equal(unknown.status, 400);
  });
});
