/**
 * A request on a reused socket makes no keep-alive system call (core/http/socket-keep-alive.ts). axios sets
 * each socket it takes to a 60 s keep-alive delay and Node's agent set it back to 1 s when the socket went
 * back to its pool, so every Partner Center request changed the socket's options twice (eight `setsockopt`
 * calls). Counted here at the socket handle, where Node calls into the system only when the value changes.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { PartnerCenterHttp } from '../../connectors/partner-center/http.js';
import { fixedTokenProvider } from '../../connectors/partner-center/index.js';

type KeepAliveHandle = { setKeepAlive: (enable: boolean, delay: number) => unknown; counted?: boolean };

describe('Partner Center requests on a kept-alive socket', () => {
  let server: http.Server;
  let base: string;
  const original = net.Socket.prototype.setKeepAlive;
  let handleCalls = 0;

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ id: 'r1', eTag: 'e1', name: 'Contoso' }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    // Count the calls that reach the socket's handle (the system call), not the ones Node answers from its cache.
    net.Socket.prototype.setKeepAlive = function (this: net.Socket & { _handle?: KeepAliveHandle }, ...args: Parameters<net.Socket['setKeepAlive']>) {
      const handle = this._handle;
      if (handle && !handle.counted) {
        const toHandle = handle.setKeepAlive.bind(handle);
        handle.setKeepAlive = (enable, delay) => {
          handleCalls += 1;
          return toHandle(enable, delay);
        };
        handle.counted = true;
      }
      return original.apply(this, args);
    };
  });

  after(async () => {
    net.Socket.prototype.setKeepAlive = original;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('leaves the socket options alone after the first request', async () => {
    const client = new PartnerCenterHttp(
      { baseUrl: base, timeoutMs: 5_000, retries: 0, backoff: { baseMs: 1, maxMs: 1, maxRetryAfterMs: 1 } },
      { tokens: fixedTokenProvider('token') },
    );
    const get = () => client.send({ method: 'GET', path: '/r1', idempotent: true, operation: 'get' });
    await get();
    const before = handleCalls;
    for (let i = 0; i < 5; i += 1) await get();
    assert.equal(client.callStats().requests, 6);
    assert.equal(handleCalls - before, 0, 'keep-alive set on the socket handle during 5 requests on a reused socket');
  });
});
