/**
 * The sandboxes on a developer's machine: requests addressed to a non-loopback host name (DNS rebinding
 * from a browser) are refused, the sign-in page needs the password, and error bodies carry no stack
 * trace. Remote text is stripped of control characters before it can reach a terminal.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import { ConnectorError, terminalSafe } from '../../core/errors.js';
import { listen } from '../../sandbox/common/http.js';
import { SANDBOX_USERS, startEntraSandbox, type EntraSandbox } from '../../sandbox/entra/index.js';

function send(url: string, options: { method?: string; host?: string; body?: string; type?: string } = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname, method: options.method ?? 'GET', headers: { ...(options.host ? { host: options.host } : {}), ...(options.type ? { 'content-type': options.type } : {}) } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

describe('sandbox hardening', () => {
  let entra: EntraSandbox;
  before(async () => {
    entra = await startEntraSandbox();
  });
  after(async () => {
    await entra.close();
  });

  it('answers only requests addressed to a loopback host name', async () => {
    const users = `${entra.url}/_sandbox/entra/users`;
    assert.equal((await send(users, { host: 'attacker.example' })).status, 421);
    assert.equal((await send(users, { host: `attacker.example:${entra.port}` })).status, 421);
    assert.equal((await send(users, { host: '127.0.0.1.attacker.example' })).status, 421);
    for (const host of [`127.0.0.1:${entra.port}`, `localhost:${entra.port}`, 'localhost']) assert.equal((await send(users, { host })).status, 200, host);
  });

  it('the sign-in page refuses a user name without its password', async () => {
    const form = (fields: Record<string, string>) => send(`${entra.url}/_sandbox/entra/device`, { method: 'POST', type: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields).toString() });
    const noPassword = await form({ userCode: 'ABCD-EFGH', username: SANDBOX_USERS.admin.username });
    assert.match(noPassword.body, /Unknown user or wrong password/);
    const withPassword = await form({ userCode: 'ABCD-EFGH', username: SANDBOX_USERS.admin.username, password: SANDBOX_USERS.admin.password });
    assert.match(withPassword.body, /That code is not valid/, 'with the password, the user is known and only the code is checked');
  });

  it('an error answer carries the message, never a stack trace', async () => {
    const server = await listen(async () => {
      throw new Error('handler broke');
    });
    try {
      const answer = await send(`${server.url}/x`);
      assert.equal(answer.status, 500);
      assert.match(answer.body, /handler broke/);
      assert.doesNotMatch(answer.body, /\bat .*\.ts:\d+|node:internal/);
    } finally {
      await server.close();
    }
  });

  it('remote text loses control characters and bidi overrides before it reaches a terminal', () => {
    const remote = 'Referral \u001b[2J\u001b]0;pwned\u0007refused\r: bad \u202eeulav\u202c value\u0000\nsecond line\tend';
    const error = new ConnectorError('remote_validation', `Partner Center said: ${remote}`);
    assert.equal(error.message, 'Partner Center said: Referral [2J]0;pwnedrefused: bad eulav value\nsecond line\tend');
    assert.equal(terminalSafe('\u009b31mred'), '31mred');
  });
});
