/**
 * Which addresses are not the public internet: this machine, its networks and the cloud's metadata service.
 * A credential the config sends to a name must not reach them because DNS said so (address-guard.ts). The
 * ranges are data (IANA special-purpose registries, RFC 6890; RFC 1918 private, RFC 6598 shared, RFC 4193
 * unique local, RFC 4291 link-local/loopback/unspecified), checked with Node's `net.BlockList`. Pure.
 */
import { BlockList, isIP } from 'node:net';

export type InternalAddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified';

/** Each class, in words an admin reads, and its ranges. */
const RANGES: readonly { kind: InternalAddressClass; words: string; subnets: readonly [string, number, 'ipv4' | 'ipv6'][] }[] = [
  { kind: 'loopback', words: 'a loopback address (this machine)', subnets: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']] },
  { kind: 'unspecified', words: 'an unspecified address (this machine)', subnets: [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']] },
  // 169.254.169.254 is the metadata service of AWS, Azure and Google Cloud: instance credentials for whoever asks.
  { kind: 'link-local', words: 'a link-local address (the cloud metadata service lives at 169.254.169.254)', subnets: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']] },
  // 100.64.0.0/10 (shared, carrier-grade NAT) holds Alibaba Cloud's metadata service (100.100.100.200).
  {
    kind: 'private',
    words: 'a private network address',
    subnets: [['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'], ['fc00::', 7, 'ipv6']],
  },
];

const LISTS = RANGES.map((range) => {
  const list = new BlockList();
  for (const [network, prefix, family] of range.subnets) list.addSubnet(network, prefix, family);
  return { ...range, list };
});

/** `::ffff:10.0.0.1` (an IPv4 address in IPv6 clothing, as a dual-stack resolver may answer) as `10.0.0.1`. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** The class of an internal address with its words, or undefined for a public one (or not an address). */
export function internalAddressClass(address: string): { kind: InternalAddressClass; words: string } | undefined {
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return undefined;
  const found = LISTS.find((range) => range.list.check(plain, family === 4 ? 'ipv4' : 'ipv6'));
  return found ? { kind: found.kind, words: found.words } : undefined;
}
