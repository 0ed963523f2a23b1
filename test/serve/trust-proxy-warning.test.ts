/** `serve > trustProxy` set to trust everyone is named by `cosell check` and at start (core/serve/trust-proxy.ts). */
import assert from 'node:assert/strict';
import { fastifyTrustProxy, trustProxyCheckItem, trustProxyWarning } from '../../core/serve/trust-proxy.js';

describe('serve > trustProxy: the trust-everything warning', () => {
  it('warns about true and a range of every address, not about a list of proxies or none', () => {
    for (const everyone of [true, ['0.0.0.0/0'], ['127.0.0.1', '::/0']] as const) assert.match(trustProxyWarning(everyone) ?? '', /every address/);
    for (const fine of [false, [], ['127.0.0.1'], ['10.0.0.0/8', 'loopback']] as const) assert.equal(trustProxyWarning(fine), undefined);
  });

  it('gives fastify false for no proxy, and the check item says what is trusted', () => {
    assert.equal(fastifyTrustProxy([]), false);
    assert.deepEqual(fastifyTrustProxy(['127.0.0.1']), ['127.0.0.1']);
    assert.match(trustProxyCheckItem(true).detail, /^WARNING: /);
    assert.match(trustProxyCheckItem([]).detail, /ignored/);
    assert.match(trustProxyCheckItem(['127.0.0.1']).detail, /only from 127\.0\.0\.1/);
  });
});
