/**
 * Internal addresses in the forms a DNS answer may give them. Until 2026-12-07 an IPv6 answer in NAT64's
 * well-known prefix (64:ff9b::/96, RFC 6052), which a NAT64 gateway turns into the IPv4 address of its last
 * 32 bits, passed as public: an IPv6-only host behind NAT64 (DNS64) then connected a name whose AAAA record
 * was 64:ff9b::a9fe:a9fe to 169.254.169.254, or 64:ff9b::a00:5 to 10.0.0.5. Likewise the local-use NAT64
 * prefix (64:ff9b:1::/48, RFC 8215), and Azure's host platform address 168.63.129.16 (WireServer, the VM's
 * DNS and agent channel), which is no service a name of the config may lead to.
 */
import assert from 'node:assert/strict';
import { internalAddressClass } from '../../core/http/address-classes.js';
import { addressRefusal } from '../../core/http/address-guard.js';

const vouched = () => true;

describe('address classes: internal addresses in the forms DNS may answer', () => {
  it('an IPv4 address inside NAT64 well-known prefix is judged as that IPv4 address', () => {
    assert.equal(internalAddressClass('64:ff9b::a9fe:a9fe')?.kind, 'link-local');
    assert.equal(internalAddressClass('64:ff9b::169.254.169.254')?.kind, 'link-local');
    assert.equal(internalAddressClass('64:FF9B:0:0:0:0:a00:5')?.kind, 'private');
    assert.equal(internalAddressClass('64:ff9b::7f00:1')?.kind, 'loopback');
    assert.equal(internalAddressClass('64:ff9b::14be:a001'), undefined, 'a public IPv4 address (20.190.160.1) through NAT64 is public');
  });

  it('the local-use NAT64 prefix is a private network', () => {
    assert.equal(internalAddressClass('64:ff9b:1::a00:5')?.kind, 'private');
  });

  it("Azure's host platform address (WireServer) is refused for every name, vouched or not", () => {
    assert.ok(internalAddressClass('168.63.129.16'));
    assert.ok(addressRefusal('crm.corp.example', '168.63.129.16', vouched));
    assert.ok(addressRefusal('crm.corp.example', '64:ff9b::a9fe:a9fe', vouched));
    assert.equal(internalAddressClass('168.63.129.17'), undefined);
  });

  it('networks used inside (192.0.0.0/24, 198.18.0.0/15) are private; multicast and reserved addresses are refused for every name', () => {
    assert.equal(internalAddressClass('192.0.0.8')?.kind, 'private');
    assert.equal(internalAddressClass('198.19.4.1')?.kind, 'private');
    assert.equal(internalAddressClass('198.20.0.1'), undefined, 'just past 198.18.0.0/15');
    for (const address of ['224.0.0.251', '239.1.2.3', '240.0.0.1', '255.255.255.255', 'ff02::1']) {
      assert.equal(internalAddressClass(address)?.kind, 'reserved', address);
      assert.match(addressRefusal('crm.corp.example', address, vouched) ?? '', /no name may lead there/, address);
    }
  });

  it('a 6to4 address (2002::/16) is judged as the IPv4 address it is tunnelled to', () => {
    assert.equal(internalAddressClass('2002:a9fe:a9fe::1')?.kind, 'link-local');
    assert.equal(internalAddressClass('2002:7f00:1::')?.kind, 'loopback');
    assert.equal(internalAddressClass('2002:c0a8:101::5')?.kind, 'private');
    assert.match(internalAddressClass('2002:a9fe:a9fe::1')?.words ?? '', /through 6to4 \(169\.254\.169\.254\)/);
    assert.equal(internalAddressClass('2002:14be:a001::1'), undefined, '6to4 of a public IPv4 address (20.190.160.1)');
  });

  it('the forms already covered stay covered', () => {
    for (const [address, kind] of [['::ffff:7f00:1', 'loopback'], ['::ffff:169.254.169.254', 'link-local'], ['fe80::1%eth0', 'link-local'], ['fd00:ec2::254', 'private'], ['0.1.2.3', 'unspecified'], ['100.100.100.200', 'private']] as const) {
      assert.equal(internalAddressClass(address)?.kind, kind, address);
    }
    assert.equal(internalAddressClass('2001:4860::1'), undefined);
  });
});
