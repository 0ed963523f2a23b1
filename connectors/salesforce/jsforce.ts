/**
 * Loads jsforce without the process's proxy variables. jsforce 3.10.16 reads HTTP(S)_PROXY once, when it
 * loads, and ignores NO_PROXY, so even 127.0.0.1 would go through the proxy (wire-protocols.md §1, §8).
 * The variables are cleared for the import only and restored afterwards, so other clients (axios,
 * fetch) keep their own proxy behaviour. A proxy for Salesforce is configured explicitly (`httpProxy`).
 */
const PROXY_VARS = ['https_proxy', 'http_proxy', 'HTTPS_PROXY', 'HTTP_PROXY'] as const;
const saved = new Map<string, string>();
for (const name of PROXY_VARS) {
  const value = process.env[name];
  if (value !== undefined) saved.set(name, value);
  delete process.env[name];
}
const jsforce = await import('jsforce');
for (const [name, value] of saved) process.env[name] = value;

export const { Connection, SfDate } = jsforce;
export type { Connection as JsforceConnection } from 'jsforce';
