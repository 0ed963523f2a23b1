/**
 * The Composite resource: up to 25 subrequests run in order through the same routes, as one API call; at
 * most 5 of them query operations or sObject Collections (composite-limits.ts: a request over either limit
 * is refused whole, nothing run).
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-composite.md
 * https://developer.salesforce.com/docs/atlas.en-us.238.0.api_rest.meta/api_rest/resources_composite_subrequest_result.htm
 * https://developer.salesforce.com/docs/platform/api-rest/guide/resources-composite-allornone.md
 *
 * - `@{referenceId.path}` in a later subrequest stands for a value of an earlier answer (composite-references.ts).
 * - A created record's answer carries `httpHeaders.Location`, the record's URL (the documented example).
 * - With `allOrNone: true`, "if … a subrequest returns an error, all other subrequests return the 400 HTTP
 *   status code": the sandbox stops at the first failure, rolls the whole request back and answers every
 *   other subrequest `[{"errorCode":"PROCESSING_HALTED","message":…}]`. The outer flag also "applies to
 *   each of the sObject Collections subrequests", so a collection with a failed record fails the request.
 *   UNVERIFIED: the PROCESSING_HALTED message text (as clients quote it; the guide shows no example).
 */
import type { ServerResponse } from 'node:http';
import type { SandboxRequest } from '../../common/http.js';
import { internalRequests, requestUser, subrequestBodies, userOf, type SfContext } from '../context.js';
import { referencedIds, resolveInBody, resolveReferences, type ReferenceSource } from '../composite-references.js';
import { SfFault } from '../errors.js';
import { compositeLimitRefusal, refusalBody } from '../composite-limits.js';
import { savepoint } from '../rollback.js';
import { sendSfJson, tapSentValue } from '../wire.js';
import { bodyObject } from './sobjects.js';

interface Subrequest { method: string; url: string; referenceId?: string; body?: unknown }
interface Answer { status: number; json: string; headers: Record<string, string> }
/** A subrequest's answer: its status and JSON text and, when its route handed it over and a later subrequest may refer to it, the value the text was written from. */
interface Captured { status: number; json: string; value?: unknown; hasValue?: boolean }

const HALTED = JSON.stringify([{ errorCode: 'PROCESSING_HALTED', message: 'The transaction was rolled back since another operation in the same transaction failed.' }]);
const CREATED_RECORD = /^\/services\/data\/(v[\d.]+)\/sobjects\/([^/]+)$/;

/** Under an all-or-none Composite request a collection subrequest is all-or-none too. */
function allOrNoneBody(body: unknown): unknown {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'records' in body ? { ...body, allOrNone: true } : body;
}

/** Whether an answer makes an all-or-none request fail: an error status, or a collection record that failed. */
function failed(answer: Answer): boolean {
  if (answer.status >= 400) return true;
  if (!answer.json.startsWith('[')) return false;
  const items = JSON.parse(answer.json) as unknown[];
  return items.some((item) => item !== null && typeof item === 'object' && (item as { success?: unknown }).success === false);
}

function locationOf(method: string, path: string, answer: Answer): Record<string, string> {
  const created = method === 'POST' && answer.status === 201 ? CREATED_RECORD.exec(path) : null;
  if (!created) return {};
  const id = (JSON.parse(answer.json) as { id?: string }).id;
  return id ? { Location: `/services/data/${created[1]}/sobjects/${created[2]}/${id}` } : {};
}

/** A URL reference that stands for no value: the subrequest is not run (composite-references.ts). */
function invalidReference({ reference, referenceId }: { reference: string; referenceId: string }): string {
  return JSON.stringify([{ errorCode: 'PROCESSING_HALTED', message: `Invalid reference specified. No value for ${reference} found in ${referenceId}` }]);
}

function envelope(sub: Subrequest, answer: Answer): string {
  // The subrequest's JSON goes into the answer as its route wrote it: a query page of 2,000 rows is not
  // parsed back and written a second time. Same members, same order as the documented shape.
  const reference = sub.referenceId === undefined ? '' : `,"referenceId":${JSON.stringify(sub.referenceId)}`;
  return `{"body":${answer.json},"httpHeaders":${JSON.stringify(answer.headers)},"httpStatusCode":${answer.status}${reference}}`;
}

export function registerCompositeRequestRoute(ctx: SfContext): void {
  ctx.router.on('POST', '/services/data/:version/composite', async (req, res) => {
    const body = bodyObject(req);
    const subrequests = Array.isArray(body.compositeRequest) ? (body.compositeRequest as Subrequest[]) : [];
    if (subrequests.length === 0) throw new SfFault(400, 'INVALID_INPUT', 'compositeRequest must hold at least one subrequest');
    const refused = compositeLimitRefusal(subrequests.map((s) => String(s.url)));
    if (refused) {
      // Refused before any subrequest runs; the API-usage count took it as a call, as every request (index.ts).
      ctx.counters.hit('composite:refused');
      sendSfJson(res, 200, refusalBody(refused));
      return;
    }
    ctx.counters.hit('composite');
    const allOrNone = body.allOrNone === true;
    const save = allOrNone ? savepoint(ctx.store) : undefined;
    const answers: Answer[] = [];
    // Answers a later subrequest refers to are kept as the values their routes wrote (a chained Query More
    // reads `nextRecordsUrl` of a 2,000-row page); any other is parsed from its text when referred to.
    const referenced = referencedIds(req.rawBody.toString('utf8'));
    const values = new Map<string, unknown>();
    const source: ReferenceSource = (referenceId) => {
      const at = subrequests.findIndex((s) => s.referenceId === referenceId);
      if (at < 0 || at >= answers.length) return undefined;
      if (!values.has(referenceId)) values.set(referenceId, JSON.parse(answers[at]!.json));
      return values.get(referenceId);
    };
    let failedAt = -1;
    for (const [i, sub] of subrequests.entries()) {
      if (failedAt >= 0) break;
      const { text, missing } = resolveReferences(sub.url, source);
      const url = new URL(text, 'http://sandbox.local');
      const method = sub.method.toUpperCase();
      const subBody = resolveInBody(allOrNone ? allOrNoneBody(sub.body) : sub.body, source);
      const keep = sub.referenceId !== undefined && referenced.has(sub.referenceId) && subrequests.findIndex((s) => s.referenceId === sub.referenceId) === i;
      const captured: Captured = missing ? { status: 400, json: invalidReference(missing) } : await dispatch(ctx, req, method, url, subBody, keep);
      if (captured.hasValue) values.set(sub.referenceId!, captured.value);
      const answer = { status: captured.status, json: captured.json, headers: locationOf(method, url.pathname, { status: captured.status, json: captured.json, headers: {} }) };
      answers.push(answer);
      if (allOrNone && failed(answer)) failedAt = i;
      // Subrequests run one after another, each its own save or read (no lock spans them): a test may act between two.
      ctx.store.afterCompositeSubrequest?.(method, url.pathname, sub.referenceId);
    }
    if (failedAt >= 0) {
      save!.rollback();
      ctx.persist();
    }
    const halted: Answer = { status: 400, json: HALTED, headers: {} };
    const out = subrequests.map((sub, i) => envelope(sub, failedAt < 0 || i === failedAt ? answers[i]! : halted));
    sendSfJson(res, 200, `{"compositeResponse":[${out.join(',')}]}`);
  });
}

/**
 * A `slow` fault aimed by its `match` at a subrequest's "METHOD path" delays the Composite call carrying
 * it, as a slow save or query inside it would (a test can hold a write-back that travels inside a
 * Composite call). Other fault kinds, and faults without a `match`, apply to whole requests only.
 */
async function slowSubrequest(ctx: SfContext, method: string, path: string): Promise<void> {
  const config = ctx.faults.current();
  if (!config?.match || Object.keys(config.kinds).some((kind) => kind !== 'slow')) return;
  if (ctx.faults.draw(method, path) !== 'slow') return;
  ctx.counters.hit('fault:slow');
  await new Promise((resolve) => setTimeout(resolve, config.slowMs ?? 1_000));
}

/**
 * Runs one subrequest through the same routes, without another auth check or API-usage count; answers its
 * status and JSON text, and (`keepValue`) the value its route wrote the text from. The route reads the body
 * as the Composite request's JSON held it (subrequestBodies), and its text only if it asks for `rawBody`.
 */
async function dispatch(ctx: SfContext, parent: SandboxRequest, method: string, url: URL, body: unknown, keepValue: boolean): Promise<Captured> {
  const found = ctx.router.match(method, url.pathname);
  if (!('handler' in found)) return { status: 404, json: JSON.stringify([{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]) };
  await slowSubrequest(ctx, method, url.pathname);
  let status = 200;
  let text = '';
  const capture = {
    headersSent: false,
    setHeader() { return capture; },
    writeHead(s: number) { status = s; return capture; },
    end(t?: string) { text = t ?? ''; return capture; },
  };
  let rawBody: Buffer | undefined;
  const sub: SandboxRequest = {
    ...parent, method, path: url.pathname, query: url.searchParams, params: found.params,
    get rawBody() {
      return (rawBody ??= Buffer.from(body === undefined ? '' : JSON.stringify(body)));
    },
  };
  if (body !== undefined) subrequestBodies.set(sub, body);
  requestUser.set(sub, userOf(parent, ctx));
  internalRequests.add(sub);
  let value: unknown;
  let hasValue = false;
  if (keepValue) {
    tapSentValue(capture as unknown as ServerResponse, (sent) => {
      value = sent;
      hasValue = true;
    });
  }
  try {
    await found.handler(sub, capture as unknown as ServerResponse);
  } catch (error) {
    if (error instanceof SfFault) return { status: error.status, json: JSON.stringify(error.body()) };
    throw error;
  }
  return hasValue && text ? { status, json: text, value, hasValue } : { status, json: text || 'null' };
}
