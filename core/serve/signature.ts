/**
 * Reading and checking a Partner Center webhook's signature (partner-center-api.md §1.14): the headers
 * must be present (`Authorization: Signature <base64>`, or `x-ms-signature` when the registration asked
 * for `SignatureTokenToMsSignatureHeader`; `X-MS-Certificate-Url`; `X-MS-Signature-Algorithm`), and the
 * RSA signature must match the raw UTF-8 body under the certificate's public key.
 */
import { createVerify, type X509Certificate } from 'node:crypto';

export interface SignedDelivery {
  signature: Buffer;
  certificateUrl: string;
  /** The hash, from `rsa-sha256` (only RSA is documented). */
  hash: string;
}

type Headers = Record<string, string | string[] | undefined>;

const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim();

/** The delivery's signature parts, or why they are missing or malformed. Pure. */
export function readSignatureHeaders(headers: Headers): SignedDelivery | { refused: string } {
  // Microsoft's sample reads `x-ms-signature` as "Signature <base64>"; a bare value is accepted too.
  const fromAuthorization = /^Signature\s+(\S+)$/i.exec(one(headers.authorization) ?? '')?.[1];
  const msHeader = one(headers['x-ms-signature']);
  const fromMsHeader = msHeader ? (/^Signature\s+(\S+)$/i.exec(msHeader)?.[1] ?? msHeader) : undefined;
  const encoded = fromAuthorization ?? fromMsHeader;
  if (!encoded) return { refused: 'no signature (Authorization: Signature … or x-ms-signature)' };
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) return { refused: 'the signature is not base64' };
  const certificateUrl = one(headers['x-ms-certificate-url']);
  if (!certificateUrl) return { refused: 'no X-MS-Certificate-Url header' };
  const algorithm = /^rsa-(sha256|sha384|sha512)$/i.exec(one(headers['x-ms-signature-algorithm']) ?? '');
  if (!algorithm) return { refused: 'X-MS-Signature-Algorithm is missing or not rsa-sha256/384/512' };
  return { signature: Buffer.from(encoded, 'base64'), certificateUrl, hash: algorithm[1]!.toLowerCase() };
}

/** Whether `signature` signs exactly `rawBody` under the certificate's key. Pure. */
export function signatureMatches(rawBody: Buffer, delivery: SignedDelivery, certificate: X509Certificate): boolean {
  try {
    return createVerify(delivery.hash).update(rawBody).verify(certificate.publicKey, delivery.signature);
  } catch {
    return false;
  }
}
