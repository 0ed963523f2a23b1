/**
 * The OAuth 2.0 JWT bearer assertion, signed RS256 with node:crypto.
 * https://help.salesforce.com/s/articleView?id=sf.remoteaccess_oauth_jwt_flow.htm
 * Claims: iss = connected app consumer key, sub = username, aud = login URL, exp within 3 minutes.
 */
import crypto from 'node:crypto';
import { ConfigError } from '../../core/errors.js';

export interface AssertionInput {
  clientId: string;
  username: string;
  audience: string;
  /** PEM text, or the key read from it (`rsaPrivateKey`). */
  privateKeyPem: string | crypto.KeyObject;
  nowMs?: number;
}

/**
 * The RSA private key a secret holds, or a ConfigError naming `key` and what it must hold. OpenSSL's own
 * words ("DECODER routines::unsupported") named nothing an admin could act on; the secret is never quoted.
 */
export function rsaPrivateKey(pem: string, key: string): crypto.KeyObject {
  let parsed: crypto.KeyObject;
  try {
    parsed = crypto.createPrivateKey(pem);
  } catch {
    throw new ConfigError(key, 'the secret it names does not hold a private key in PEM form (a file beginning "-----BEGIN PRIVATE KEY-----" or "-----BEGIN RSA PRIVATE KEY-----", the key whose certificate the connected app holds)');
  }
  if (parsed.asymmetricKeyType !== 'rsa') {
    throw new ConfigError(key, `the secret it names holds an ${parsed.asymmetricKeyType ?? 'unknown'} key: Salesforce's JWT sign-in takes RSA keys only (RS256); use the RSA key whose certificate the connected app holds`);
  }
  return parsed;
}

const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

export function signJwtAssertion(input: AssertionInput): string {
  const now = Math.floor((input.nowMs ?? Date.now()) / 1000);
  const head = b64url({ alg: 'RS256', typ: 'JWT' });
  const body = b64url({ iss: input.clientId, sub: input.username, aud: input.audience, exp: now + 180 });
  const signature = crypto.sign('RSA-SHA256', Buffer.from(`${head}.${body}`), input.privateKeyPem).toString('base64url');
  return `${head}.${body}.${signature}`;
}
