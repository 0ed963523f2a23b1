/**
 * The OAuth 2.0 JWT bearer assertion, signed RS256 with node:crypto.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * Claims: iss = connected app consumer key, sub = username, aud = login URL, exp within 3 minutes.
 */
import crypto from 'node:crypto';

export interface AssertionInput {
  clientId: string;
  username: string;
  audience: string;
  privateKeyPem: string;
  nowMs?: number;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwtAssertion(input: AssertionInput): string {
  const now = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const head = b64url({ alg: 'RS256', typ: 'JWT' });
  const body = b64url({ iss: input.clientId, sub: input.username, aud: input.audience, exp: now + 180 });
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), input.privateKeyPem).toString('base64url');
  return `${head}.${body}.${signature}`;
}
