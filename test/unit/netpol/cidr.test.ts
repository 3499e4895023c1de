import { expect } from 'chai';
import { cidrWithin, formatIp, hostCidr, ipInBlock, networkOf, parseCidr, parseIp } from '../../../src/netpol/cidr.js';

describe('netpol CIDR arithmetic', () => {
  it('GIVEN IPv4 text THEN well-formed addresses parse and malformed ones do not', () => {
    expect(parseIp('10.0.1.2')).to.deep.equal({ family: 4, value: 0x0a000102n });
    expect(parseIp('255.255.255.255')?.value).to.equal(0xffffffffn);
    for (const bad of ['10.0.1', '10.0.1.2.3', '256.0.0.1', '10.01.0.1', '10.0.0.-1', '', 'a.b.c.d']) {
      expect(parseIp(bad), bad).to.equal(undefined);
    }
  });

  it('GIVEN IPv6 text THEN compressed, full and IPv4-embedded forms parse; malformed ones do not', () => {
    expect(parseIp('::')?.value).to.equal(0n);
    expect(parseIp('::1')?.value).to.equal(1n);
    expect(parseIp('2001:db8::1')?.value).to.equal(0x20010db8000000000000000000000001n);
    expect(parseIp('2001:db8:0:0:0:0:0:1')?.value).to.equal(parseIp('2001:db8::1')?.value);
    expect(parseIp('::ffff:10.0.0.1')?.value).to.equal(0xffff0a000001n);
    for (const bad of [':::', '1::2::3', '2001:db8::12345', '1:2:3:4:5:6:7', '1:2:3:4:5:6:7:8:9', 'fe80::g']) {
      expect(parseIp(bad), bad).to.equal(undefined);
    }
  });

  it('GIVEN a CIDR with host bits set THEN they are cleared; prefixes beyond the family size are rejected', () => {
    expect(parseCidr('10.0.1.7/24')).to.deep.equal({ family: 4, network: 0x0a000100n, prefix: 24 });
    expect(parseCidr('10.0.0.0/0')?.network).to.equal(0n);
    expect(parseCidr('10.0.0.0/33')).to.equal(undefined);
    expect(parseCidr('10.0.0.0')).to.equal(undefined);
    expect(parseCidr('fd00::1/129')).to.equal(undefined);
    expect(parseCidr('fd00::1/64')?.network).to.equal(0xfd000000000000000000000000000000n);
  });

  it('GIVEN the edges of a /25 THEN .127 is inside and .128 is outside', () => {
    expect(ipInBlock('192.168.1.127', '192.168.1.0/25')).to.equal(true);
    expect(ipInBlock('192.168.1.128', '192.168.1.0/25')).to.equal(false);
    expect(ipInBlock('192.168.1.0', '192.168.1.0/25')).to.equal(true);
  });

  it('GIVEN /0 and /32 THEN /0 holds every IPv4 address and /32 exactly one', () => {
    expect(ipInBlock('203.0.113.9', '0.0.0.0/0')).to.equal(true);
    expect(ipInBlock('10.0.0.1', '10.0.0.1/32')).to.equal(true);
    expect(ipInBlock('10.0.0.2', '10.0.0.1/32')).to.equal(false);
  });

  it('GIVEN except ranges THEN an address inside any of them is out of the block', () => {
    expect(ipInBlock('10.0.1.5', '10.0.0.0/16', ['10.0.1.0/24'])).to.equal(false);
    expect(ipInBlock('10.0.2.5', '10.0.0.0/16', ['10.0.1.0/24', '10.0.3.0/24'])).to.equal(true);
    expect(ipInBlock('10.0.3.255', '10.0.0.0/16', ['10.0.1.0/24', '10.0.3.0/24'])).to.equal(false);
    expect(ipInBlock('169.254.169.254', '0.0.0.0/0', ['169.254.169.254/32'])).to.equal(false);
    expect(ipInBlock('169.254.169.253', '0.0.0.0/0', ['169.254.169.254/32'])).to.equal(true);
  });

  it('GIVEN mixed families or malformed input THEN no match, and malformed is told apart (undefined)', () => {
    expect(ipInBlock('fd00::1', '0.0.0.0/0')).to.equal(false);
    expect(ipInBlock('10.0.0.1', '::/0')).to.equal(false);
    expect(ipInBlock('10.0.0.1', 'nonsense')).to.equal(undefined);
    expect(ipInBlock('10.0.0.1', '10.0.0.0/8', ['bad'])).to.equal(undefined);
    expect(ipInBlock('x', '10.0.0.0/8')).to.equal(undefined);
  });

  it('GIVEN a pod IP THEN networkOf and hostCidr give canonical blocks for both families', () => {
    expect(networkOf('10.0.1.7', 16)).to.equal('10.0.0.0/16');
    expect(networkOf('10.0.1.7', 0)).to.equal('0.0.0.0/0');
    expect(hostCidr('10.0.1.7')).to.equal('10.0.1.7/32');
    expect(hostCidr('fd00:0:0::7')).to.equal('fd00::7/128');
    expect(networkOf('fd00:1:2:3::7', 48)).to.equal('fd00:1:2::/48');
    expect(() => networkOf('10.0.0.1', 33)).to.throw(/out of range/);
    expect(() => hostCidr('nope')).to.throw(/not an IP/);
  });

  it('GIVEN IPv6 values THEN formatting compresses the longest zero run only', () => {
    expect(formatIp({ family: 6, value: 0x20010db8000000010000000000000001n })).to.equal('2001:db8:0:1::1');
    expect(formatIp({ family: 6, value: 0n })).to.equal('::');
    expect(formatIp({ family: 6, value: 0x00010002000300040005000600070008n })).to.equal('1:2:3:4:5:6:7:8');
  });

  it('GIVEN two blocks THEN cidrWithin tells whether one lies inside the other', () => {
    const outer = parseCidr('10.0.0.0/16');
    const inner = parseCidr('10.0.5.0/24');
    const other = parseCidr('10.1.0.0/24');
    if (!outer || !inner || !other) throw new Error('test CIDRs must parse');
    expect(cidrWithin(inner, outer)).to.equal(true);
    expect(cidrWithin(outer, inner)).to.equal(false);
    expect(cidrWithin(other, outer)).to.equal(false);
  });
});
