/** What a server must do with a request that stops arriving (test/serve/stalled-requests*.test.ts). */
import assert from 'node:assert/strict';

export function assertStalledRequestsEnd(server: { requestTimeout: number; headersTimeout: number }): void {
  assert.ok(server.requestTimeout > 0, 'a request that stops arriving is ended (requestTimeout is set)');
  assert.ok(server.requestTimeout <= 60_000, `within a minute (requestTimeout ${server.requestTimeout} ms)`);
  assert.ok(server.headersTimeout > 0 && server.headersTimeout <= server.requestTimeout, 'headers within the same bound');
}
