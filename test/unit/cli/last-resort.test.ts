/**
 * An error nothing caught (core/cli/last-resort.ts). Node's own report prints the error object whole, and an
 * axios error holds its request's headers: the bearer token reached standard error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2VuLWJvZHk.c2lnbmF0dXJl';
const lastResort = fileURLToPath(new URL('../../../core/cli/last-resort.ts', import.meta.url));

/** A process that throws an axios error from a timer (nothing awaits it), with or without the last resort. */
function throwUncaught(how: 'timer' | 'rejection', withLastResort: boolean) {
  const script = `
    import { AxiosError } from 'axios';
    ${withLastResort ? `const { reportUncaughtErrors } = await import(${JSON.stringify(lastResort)}); reportUncaughtErrors();` : ''}
    const error = new AxiosError('Request failed with status code 500', 'ERR_BAD_RESPONSE', { headers: { Authorization: 'Bearer ${TOKEN}' }, url: 'https://api.partner.microsoft.com/v1.0/engagements/referrals' });
    ${how === 'timer' ? 'setTimeout(() => { throw error; }, 1);' : 'Promise.reject(error);'}
  `;
  return spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', cwd: fileURLToPath(new URL('../../..', import.meta.url)) });
}

describe('an error nothing caught', function () {
  this.timeout(60_000);

  it("without the last resort, Node's report prints the request's bearer token (why it exists)", () => {
    const result = throwUncaught('timer', false);
    assert.notEqual(result.status, 0);
    assert.ok(result.stderr.includes(TOKEN), result.stderr);
  });

  for (const how of ['timer', 'rejection'] as const) {
    it(`thrown from a ${how === 'timer' ? 'timer' : 'promise no one awaits'}: reported by name and message, without the token, exit 1`, () => {
      const result = throwUncaught(how, true);
      assert.equal(result.status, 1, result.stderr);
      assert.match(result.stderr, /^cosell: AxiosError: Request failed with status code 500$/m);
      assert.ok(!result.stderr.includes(TOKEN), result.stderr);
      assert.ok(!result.stderr.includes('c2VjcmV0LXRva2VuLWJvZHk'), 'no part of the token');
    });
  }
});
