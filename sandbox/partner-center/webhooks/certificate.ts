/**
 * The key and self-signed X.509 certificate the sandbox signs webhook events with (RSA-SHA256 over the
 * UTF-8 body, partner-center-api.md §1.14). node:crypto can parse certificates but not issue them, so
 * the certificate is DER-encoded here by hand: a minimal v3 TBSCertificate (serial, sha256WithRSA,
 * issuer = subject, validity, subjectPublicKeyInfo) signed with the same key.
 *
 * The subject carries "O=Microsoft Corporation", the organisation a receiver checks (§1.14); the
 * certificate is self-signed, so a receiver must trust it explicitly rather than through a chain.
 */
import { createSign, generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

const tlv = (tag: number, content: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), length(content.length), content]);
const sequence = (...items: Buffer[]) => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]) => tlv(0x31, Buffer.concat(items));
const utf8 = (text: string) => tlv(0x0c, Buffer.from(text, 'utf8'));
const nullValue = Buffer.from([0x05, 0x00]);

function oid(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes = [40 * a + b];
  for (const part of rest) {
    const chunk: number[] = [part & 0x7f];
    for (let v = part >> 7; v > 0; v >>= 7) chunk.unshift((v & 0x7f) | 0x80);
    bytes.push(...chunk);
  }
  return tlv(0x06, Buffer.from(bytes));
}

/**
 * A DER INTEGER must be minimal: no leading zero byte unless the next byte's high bit is set. A random
 * serial starting with 0x00 (1 in 256) was otherwise refused as "illegal padding".
 */
function integer(value: Buffer): Buffer {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start += 1;
  const trimmed = value.subarray(start);
  const positive = (trimmed[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed;
  return tlv(0x02, positive);
}

/** UTCTime, YYMMDDHHMMSSZ (valid for years 1950–2049). */
function utcTime(date: Date): Buffer {
  const iso = date.toISOString();
  const text = iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10) + iso.slice(11, 13) + iso.slice(14, 16) + iso.slice(17, 19) + 'Z';
  return tlv(0x17, Buffer.from(text, 'ascii'));
}

function name(commonName: string, organization: string): Buffer {
  return sequence(set(sequence(oid('2.5.4.3'), utf8(commonName))), set(sequence(oid('2.5.4.10'), utf8(organization))));
}

export interface SigningIdentity {
  privateKey: KeyObject;
  publicKeyPem: string;
  certificatePem: string;
  certificate: X509Certificate;
}

export function createSigningIdentity(now = new Date()): SigningIdentity {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const algorithm = sequence(oid('1.2.840.113549.1.1.11'), nullValue); // sha256WithRSAEncryption
  const subject = name('Partner Center webhooks (cosell-connector sandbox)', 'Microsoft Corporation');
  const notBefore = new Date(now.getTime() - 86_400_000);
  const notAfter = new Date(now.getTime() + 365 * 86_400_000);
  const tbs = sequence(
    tlv(0xa0, integer(Buffer.from([2]))), // [0] EXPLICIT version v3
    integer(randomBytes(16)),
    algorithm,
    subject,
    sequence(utcTime(notBefore), utcTime(notAfter)),
    subject,
    publicKey.export({ type: 'spki', format: 'der' }),
  );
  const signature = createSign('sha256').update(tbs).sign(privateKey);
  const der = sequence(tbs, algorithm, tlv(0x03, Buffer.concat([Buffer.from([0]), signature])));
  const body = der.toString('base64').replace(/(.{64})/g, '$1\n').trimEnd();
  const certificatePem = `-----BEGIN CERTIFICATE-----\n${body}\n-----END CERTIFICATE-----\n`;
  return {
    privateKey,
    publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    certificatePem,
    certificate: new X509Certificate(certificatePem),
  };
}

/** The `Authorization: Signature <base64>` value: RSA-SHA256 over the UTF-8 body. */
export function signBody(body: string, identity: SigningIdentity): string {
  return createSign('sha256').update(Buffer.from(body, 'utf8')).sign(identity.privateKey).toString('base64');
}
