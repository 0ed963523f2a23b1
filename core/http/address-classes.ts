/**
 * Which addresses are not the public internet: this machine, its networks and the cloud's metadata service.
 * A credential the config sends to a name must not reach them because DNS said so (address-guard.ts). The
 * ranges are data (IANA special-purpose registries, RFC 6890; RFC 1918 private, RFC 6598 shared, RFC 4193
 * unique local, RFC 4291 link-local/loopback/unspecified), checked with Node's `net.BlockList`; an IPv6 address in NAT64's
 * well-known prefix is judged as the IPv4 address it reaches. Pure.
 */
import { BlockList, isIP } from 'node:net';

export type InternalAddressClass = 'loopback' | 'private' | 'link-local' | 'unspecified' | 'reserved';

/** Each class, in words an admin reads, and its ranges. */
const RANGES: readonly { kind: InternalAddressClass; words: string; subnets: readonly [string, number, 'ipv4' | 'ipv6'][] }[] = [
  { kind: 'loopback', words: 'a loopback address (this machine)', subnets: [['127.0.0.0', 8, 'ipv4'], ['::1', 128, 'ipv6']] },
  { kind: 'unspecified', words: 'an unspecified address (this machine)', subnets: [['0.0.0.0', 8, 'ipv4'], ['::', 128, 'ipv6']] },
  // 169.254.169.254 is the metadata service of AWS, Azure and Google Cloud: instance credentials for whoever asks.
  { kind: 'link-local', words: 'a link-local address (the cloud metadata service lives at 169.254.169.254)', subnets: [['169.254.0.0', 16, 'ipv4'], ['fe80::', 10, 'ipv6']] },
  // Azure's virtual public address of the host platform (WireServer: the VM agent's channel, its DNS and health
  // probes; learn.microsoft.com "What is IP address 168.63.129.16?"): the host's, like the metadata service,
  // so no name may lead there either (judged as link-local is).
  { kind: 'link-local', words: "Azure's host platform address (168.63.129.16, WireServer)", subnets: [['168.63.129.16', 32, 'ipv4']] },
  // 100.64.0.0/10 (shared, carrier-grade NAT) holds Alibaba Cloud's metadata service (100.100.100.200).
  {
    kind: 'private',
    words: 'a private network address',
    // 64:ff9b:1::/48 is NAT64's local-use prefix (RFC 8215): a translation into the operator's own IPv4 networks.
    // 192.0.0.0/24 (IETF protocol assignments, RFC 6890) and 198.18.0.0/15 (benchmarking, RFC 2544) are not
    // routed on the internet; networks use them inside (labs, appliances, cloud edge services).
    subnets: [
      ['10.0.0.0', 8, 'ipv4'], ['172.16.0.0', 12, 'ipv4'], ['192.168.0.0', 16, 'ipv4'], ['100.64.0.0', 10, 'ipv4'],
      ['192.0.0.0', 24, 'ipv4'], ['198.18.0.0', 15, 'ipv4'], ['fc00::', 7, 'ipv6'], ['64:ff9b:1::', 48, 'ipv6'],
    ],
  },
  // No service a config names lives at a multicast address or in IPv4's reserved block (240.0.0.0/4, which
  // holds the broadcast address): refused for every name, as link-local is.
  {
    kind: 'reserved',
    words: 'a multicast or reserved address',
    subnets: [['224.0.0.0', 4, 'ipv4'], ['240.0.0.0', 4, 'ipv4'], ['ff00::', 8, 'ipv6']],
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

/** NAT64's well-known prefix (RFC 6052 §2.1): a gateway connects `64:ff9b::a.b.c.d` to the IPv4 address a.b.c.d. */
const NAT64_WELL_KNOWN = new BlockList();
NAT64_WELL_KNOWN.addSubnet('64:ff9b::', 96, 'ipv6');
/** 6to4 (RFC 3056 §2): `2002:AABB:CCDD::/48` is the site behind the IPv4 address AA.BB.CC.DD, reached through it. */
const SIX_TO_FOUR = new BlockList();
SIX_TO_FOUR.addSubnet('2002::', 16, 'ipv6');

/** The IPv4 address a 6to4 address is tunnelled to (its bits 16–47), or undefined when it is not 6to4. */
function sixToFourTarget(address: string): string | undefined {
  if (isIP(address) !== 6 || !SIX_TO_FOUR.check(address, 'ipv6')) return undefined;
  const groups = address.replace(/%.*$/, '').split(':');
  const [high, low] = [parseInt(groups[1] || '0', 16), parseInt(groups[2] || '0', 16)];
  return [high >> 8, high & 255, low >> 8, low & 255].join('.');
}

/** The IPv4 address a NAT64 gateway reaches for `address` (its last 32 bits), or undefined when it is not NAT64's. */
function nat64Target(address: string): string | undefined {
  if (isIP(address) !== 6 || !NAT64_WELL_KNOWN.check(address, 'ipv6')) return undefined;
  const text = address.replace(/%.*$/, '');
  const dotted = /(\d{1,3}(?:\.\d{1,3}){3})$/.exec(text);
  if (dotted) return dotted[1];
  // The last two groups: after `::` fewer than two may be written (the rest are zero).
  const after = text.includes('::') ? text.slice(text.indexOf('::') + 2) : text;
  const groups = ['0', '0', ...(after ? after.split(':') : [])].slice(-2).map((g) => parseInt(g, 16));
  return groups.flatMap((g) => [g >> 8, g & 255]).join('.');
}

/** The class of an internal address with its words, or undefined for a public one (or not an address). */
export function internalAddressClass(address: string): { kind: InternalAddressClass; words: string } | undefined {
  const translated = nat64Target(address);
  if (translated !== undefined) {
    const target = internalAddressClass(translated);
    return target && { kind: target.kind, words: `${target.words}, through NAT64 (${translated})` };
  }
  const tunnelled = sixToFourTarget(address);
  if (tunnelled !== undefined) {
    const target = internalAddressClass(tunnelled);
    return target && { kind: target.kind, words: `${target.words}, through 6to4 (${tunnelled})` };
  }
  const plain = unmapped(address);
  const family = isIP(plain);
  if (family === 0) return undefined;
  const found = LISTS.find((range) => range.list.check(plain, family === 4 ? 'ipv4' : 'ipv6'));
  return found ? { kind: found.kind, words: found.words } : undefined;
}
