/**
 * A loopback HTTP listener that records everything it receives (method, URL, headers, body) and answers
 * with a scripted handler. Tests use a second one as "another origin" and assert it heard no credential.
 */
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface Recorder {
  url: string;
  received: RecordedRequest[];
  /** Every byte heard (request lines, headers and bodies), for grepping for secrets. */
  heard(): string;
  close(): Promise<void>;
}

export type RecorderHandler = (req: RecordedRequest, res: ServerResponse) => void;

const answerEmptyJson: RecorderHandler = (_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json' });
  res.end('{}');
};

export async function startRecorder(handler: RecorderHandler = answerEmptyJson): Promise<Recorder> {
  const received: RecordedRequest[] = [];
  const server = http.createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const recorded = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      received.push(recorded);
      handler(recorded, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    received,
    heard: () => received.map((r) => `${r.method} ${r.url}\n${JSON.stringify(r.headers)}\n${r.body}`).join('\n'),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
