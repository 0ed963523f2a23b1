/**
 * The sandboxes' access-token check (sandbox/entra/tokens.ts) on a token it has already accepted: the
 * signature is read once per token string, but every call still judges expiry and audience, a token with
 * one character changed is still refused, and no caller can change the claims the next call sees.
 */
import assert from 'node:assert/strict';
import { TokenSigner } from '../../sandbox/entra/tokens.js';

const AUDIENCE = 'https://api.partner.microsoft.com';

describe('sandbox: access tokens read again', () => {
  const signer = new TokenSigner();
  const now = 1_800_000_000;
  const token = signer.sign({ aud: AUDIENCE, iss: 'x', tid: 't', idtyp: 'user', appid: 'a', oid: 'o', sub: 's', roles: ['ReferralsAdmin'], iat: now, nbf: now, exp: now + 60 });

  it('judges expiry and audience on every call, not only the first', () => {
    assert.equal(signer.verify(token, AUDIENCE, now).ok, true);
    assert.equal(signer.verify(token, `${AUDIENCE}/`, now).ok, true);
    assert.deepEqual(signer.verify(token, AUDIENCE, now + 60), { ok: false, reason: 'The access token has expired.' });
    assert.deepEqual(signer.verify(token, 'https://graph.microsoft.com', now), { ok: false, reason: `The access token audience ${AUDIENCE} is not https://graph.microsoft.com.` });
    assert.equal(signer.verify(token, AUDIENCE, now + 59).ok, true);
  });

  it('refuses a changed signature or payload after the genuine token was accepted', () => {
    assert.equal(signer.verify(token, AUDIENCE, now).ok, true);
    const [head, body, sig] = token.split('.') as [string, string, string];
    const flipped = `${sig.slice(0, -2)}${sig.at(-2) === 'A' ? 'B' : 'A'}${sig.at(-1)}`;
    assert.deepEqual(signer.verify(`${head}.${body}.${flipped}`, AUDIENCE, now), { ok: false, reason: 'The access token signature is invalid.' });
    const richer = Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(body, 'base64url').toString()), roles: ['MpnPartnerAdmin'] })).toString('base64url');
    assert.deepEqual(signer.verify(`${head}.${richer}.${sig}`, AUDIENCE, now), { ok: false, reason: 'The access token signature is invalid.' });
    assert.equal(new TokenSigner().verify(token, AUDIENCE, now).ok, false, 'another key does not accept it');
  });

  it('hands out claims no caller can change for the next one', () => {
    const first = signer.verify(token, AUDIENCE, now);
    assert.ok(first.ok);
    assert.throws(() => {
      (first.claims.roles as string[]).push('MpnPartnerAdmin');
    }, TypeError);
    assert.throws(() => {
      first.claims.exp = now + 3_600;
    }, TypeError);
    const again = signer.verify(token, AUDIENCE, now);
    assert.ok(again.ok);
    assert.deepEqual(again.claims.roles, ['ReferralsAdmin']);
    assert.equal(again.claims.exp, now + 60);
  });
});
