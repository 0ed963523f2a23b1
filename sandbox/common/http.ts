/**
 * A minimal HTTP server for the sandboxes: a route table on node:http, bodies read in full (clients
 * such as jsforce send chunked form bodies), loopback only, any port. Each sandbox keeps its own wire
 * format (JSON, form, multipart); this file only routes and reads.
 */
import { requestTapped } from './request-tap.js';
import { escapeRegExp } from './regexp.js';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { UnknownFaultKind } from './faults.js';

export interface SandboxRequest {
  method: string;
  /** Path without the query string, percent-decoded per segment by the route matcher. */
  path: string;
  query: URLSearchParams;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  rawBody: Buffer;
  params: Record<string, string>;
  raw: IncomingMessage;
}

export type Handler = (req: SandboxRequest, res: ServerResponse) => void | Promise<void>;

/** A hook that runs before routing; returning true means it answered the request itself. */
export type Middleware = (req: SandboxRequest, res: ServerResponse) => boolean | Promise<boolean>;

interface Route {
  method: string;
  pattern: RegExp;
  keys: string[];
  handler: Handler;
}

/** Turns `/v1.0/engagements/referrals/:id` into a regular expression with named segments. */
function compile(template: string): { pattern: RegExp; keys: string[] } {
  const keys: string[] = [];
  const source = template
    .split('/')
    .map((segment) => {
      if (segment.startsWith(':')) {
        keys.push(segment.slice(1));
        return '([^/]+)';
      }
      if (segment === '*') {
        keys.push('rest');
        return '(.*)';
      }
      return escapeRegExp(segment);
    })
    .join('/');
  return { pattern: new RegExp(`^${source}/?$`), keys };
}

export class Router {
  private readonly routes: Route[] = [];
  private readonly middleware: Middleware[] = [];

  use(hook: Middleware): this {
    this.middleware.push(hook);
    return this;
  }

  on(method: string, template: string | RegExp, handler: Handler): this {
    const compiled = typeof template === 'string' ? compile(template) : { pattern: template, keys: [] };
    this.routes.push({ method: method.toUpperCase(), ...compiled, handler });
    return this;
  }

  /** Finds the handler; `methodMismatch` is set when the path exists under another method (405). */
  match(method: string, path: string): { handler: Handler; params: Record<string, string> } | { methodMismatch: boolean } {
    let methodMismatch = false;
    for (const route of this.routes) {
      const m = route.pattern.exec(path);
      if (!m) continue;
      if (route.method !== method && route.method !== '*') {
        methodMismatch = true;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((key, i) => {
        const value = m[i + 1] ?? '';
        params[key] = key === 'rest' ? value : decodeURIComponent(value);
      });
      return { handler: route.handler, params };
    }
    return { methodMismatch };
  }

  async handle(raw: IncomingMessage, res: ServerResponse, fallback: (req: SandboxRequest, res: ServerResponse, methodMismatch: boolean) => void): Promise<void> {
    const url = new URL(raw.url ?? '/', 'http://sandbox.local');
    const body = await readBody(raw);
    const headers: Record<string, string> = {};
    for (const [key, value] of Object.entries(raw.headers)) {
      if (value !== undefined) headers[key.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
    const req: SandboxRequest = {
      method: (raw.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers,
      rawBody: body,
      params: {},
      raw,
    };
    for (const hook of this.middleware) {
      if (await hook(req, res)) return;
    }
    const found = this.match(req.method, req.path);
    if ('handler' in found) {
      req.params = found.params;
      await found.handler(req, res);
    } else {
      fallback(req, res, found.methodMismatch);
    }
  }
}

/**
 * The whole request body. Read from the stream's events rather than an async iterator (one fewer promise
 * chain per request); a request whose connection closes before its body ends is refused, as the iterator
 * refused it, and a body that came in one chunk is not copied.
 */
function readBody(raw: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    raw.on('data', (chunk: Buffer) => chunks.push(chunk));
    raw.once('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    raw.once('error', reject);
    raw.once('close', () => {
      if (!raw.complete) reject(new Error('The request was closed before its body ended.'));
    });
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/** Parses a JSON body, or returns an error description for the sandbox to answer in its own shape. */
export function parseJsonBody(req: SandboxRequest): { ok: true; value: unknown } | { ok: false; message: string } {
  if (req.rawBody.length === 0) return { ok: false, message: 'The request body is empty.' };
  try {
    return { ok: true, value: JSON.parse(req.rawBody.toString('utf8')) };
  } catch (error) {
    return { ok: false, message: `The request body is not valid JSON: ${(error as Error).message}` };
  }
}

/**
 * The media type of a request body when it is not JSON (`application/json`, or a `+json` type such as
 * `application/json-patch+json`, parameters ignored); `''` for a missing header; undefined when it is JSON.
 */
export function nonJsonMediaType(req: SandboxRequest): string | undefined {
  const media = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  return media === 'application/json' || /^application\/[\w.-]+\+json$/.test(media) ? undefined : media;
}

export function parseFormBody(req: SandboxRequest): URLSearchParams {
  return new URLSearchParams(req.rawBody.toString('utf8'));
}

/** Whether a Host header names this machine: 127.x.x.x, localhost (or *.localhost) or [::1], any port. */
export function isLoopbackHostHeader(host: string | undefined): boolean {
  if (!host) return false;
  const name = (host.startsWith('[') ? host.slice(0, host.indexOf(']') + 1) : host.replace(/:\d+$/, '')).toLowerCase();
  return name === 'localhost' || name.endsWith('.localhost') || name === '[::1]' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

export interface RunningServer {
  /** `http://127.0.0.1:PORT`, no trailing slash. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** Starts a server on 127.0.0.1 (port 0 = any free port). Handler errors become a 500 with a JSON body. */
export async function listen(
  handler: (req: IncomingMessage, res: ServerResponse) => Promise<void>,
  port = 0,
  options: { clock?: { now(): Date } } = {},
): Promise<RunningServer> {
  const server = http.createServer((req, res) => {
    // The service's own clock in the Date header, as a real service sends it: clients anchor change-feed
    // windows to it, and a sandbox whose clock was moved must not contradict its own timestamps.
    if (options.clock) res.setHeader('Date', options.clock.now().toUTCString());
    // DNS rebinding: a web page can make a browser send requests to 127.0.0.1 under its own host name;
    // the controls change data without a token, so only loopback names are answered.
    if (!isLoopbackHostHeader(req.headers.host)) {
      sendJson(res, 421, { error: { code: 'misdirectedRequest', message: 'The sandbox answers only requests addressed to a loopback host name (127.0.0.1, localhost, [::1]).' } });
      return;
    }
    const tapped = { method: req.method ?? 'GET', url: req.url ?? '/' };
    if (requestTapped(tapped, 'received')) {
      req.socket.destroy();
      return;
    }
    res.once('finish', () => requestTapped(tapped, 'answered'));
    handler(req, res).catch((error: unknown) => {
      // The message only: a stack trace tells a caller about the code, and no documented API sends one.
      // A control asked for a fault the sandbox does not answer: the caller's mistake, said as such.
      if (!res.headersSent && error instanceof UnknownFaultKind) sendJson(res, 400, { error: { code: 'unknownFaultKind', message: error.message } });
      else if (!res.headersSent) sendJson(res, 500, { error: { code: 'sandboxFault', message: String((error as Error)?.message ?? error) } });
      else res.destroy();
    });
  });
  server.keepAliveTimeout = 5_000;
  // A taken port (EADDRINUSE) rejects, so a caller that asked for a remembered port can pick another.
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const actual = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${actual}`,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
