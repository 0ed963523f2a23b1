/**
 * A notification (customer names, deal values, parked reasons) goes to the configured Graph base only. Node's
 * fetch follows a 307 or 308 by itself and sends the body again to whatever host the Location names (it drops
 * the Authorization header, not the body): until 2026-12-06 a redirect from the base (or from anything
 * answering for it) delivered the notification elsewhere. The sender now follows no redirect: the send fails
 * with the redirect's status and nothing reaches the other host.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { graphSender } from '../../core/notify/graph-sender.js';
import { startEntraSandbox, SANDBOX_APPS, type EntraSandbox } from '../../sandbox/entra/index.js';

const APP = SANDBOX_APPS.dashboard;

async function listen(handler: (req: IncomingMessage, body: string, res: import('node:http').ServerResponse) => void): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => handler(req, body, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

describe('Graph notifications: no redirect carries a notification elsewhere', () => {
  let entra: EntraSandbox;
  before(async () => {
    entra = await startEntraSandbox();
  });
  after(() => entra.close());

  for (const status of [307, 308]) {
    it(`a ${status} from the Graph base fails the send, and the other host hears nothing`, async () => {
      const heardElsewhere: string[] = [];
      const elsewhere = await listen((_req, body, res) => {
        heardElsewhere.push(body);
        res.writeHead(202).end();
      });
      const base = await listen((req, _body, res) => res.writeHead(status, { location: `${elsewhere.url}${req.url}` }).end());
      try {
        const sender = graphSender({ authority: entra.authority, authorityMetadata: entra.authorityMetadata, clientId: APP.clientId, clientSecret: 'env:UNUSED', baseUrl: base.url }, APP.clientSecret);
        const failure = await sender.sendMail('notify@contoso-partner.example', ['sam@contoso-partner.example'], 'Contoso: 250,000 USD deal', '<p>Contoso Retail</p>').then(
          () => undefined,
          (error: unknown) => error as { statusCode?: number },
        );
        assert.ok(failure, 'the send fails');
        assert.equal(failure.statusCode, status);
        assert.deepEqual(heardElsewhere, [], 'the notification never reached the other host');
      } finally {
        for (const { server } of [base, elsewhere]) await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    });
  }
});
