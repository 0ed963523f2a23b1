/**
 * Makes chosen names resolve to 127.0.0.1, as a rebinding DNS server would, by stubbing dns.lookup (which the
 * address guard's lookup calls; core/http/address-guard.ts). Every other name resolves as before. Returns the undo.
 */
import dns from 'node:dns';

export function reboundToLoopback(names: RegExp): () => void {
  const realLookup = dns.lookup;
  (dns as { lookup: unknown }).lookup = (name: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (!names.test(name)) return (realLookup as (...args: unknown[]) => void)(name, options, callback);
    return options?.all ? callback(null, [{ address: '127.0.0.1', family: 4 }]) : callback(null, '127.0.0.1', 4);
  };
  return () => {
    (dns as { lookup: unknown }).lookup = realLookup;
  };
}
