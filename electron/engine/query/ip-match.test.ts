import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ipInCidr, parseCidr, parseIp, registerSqlFunctions } from './ip-match.ts';

describe('ipInCidr', () => {
  it.each([
    ['10.1.2.3', '10.0.0.0/8', 1],
    ['11.1.2.3', '10.0.0.0/8', 0],
    ['192.168.1.255', '192.168.1.0/24', 1],
    ['192.168.2.0', '192.168.1.0/24', 0],
    ['192.168.1.7', '192.168.1.7/32', 1],
    ['192.168.1.7', '192.168.1.7', 1],
    ['192.168.1.8', '192.168.1.7', 0],
    ['1.2.3.4', '0.0.0.0/0', 1],
    ['10.1.2.3', '10.9.9.9/8', 1], // host bits in the range are ignored
    ['08.1.250.216', '8.1.250.0/24', 1], // leading zeros are decimal, not octal
    ['010.0.0.1', '10.0.0.0/8', 1],
    ['10.0.0.1:443', '10.0.0.0/8', 1],
    [' 10.0.0.1 ', '10.0.0.0/8', 1],
    ['2001:db8::1', '2001:db8::/32', 1],
    ['2001:db9::1', '2001:db8::/32', 0],
    ['2001:DB8:0:0:0:0:0:1', '2001:db8::1/128', 1],
    ['fe80::1%eth0', 'fe80::/10', 1],
    ['[2001:db8::5]:8443', '2001:db8::/64', 1],
    ['::1', '::1/128', 1],
    ['::', '::/0', 1],
    ['::ffff:10.1.2.3', '10.0.0.0/8', 1], // IPv4-mapped IPv6 matches IPv4 ranges
    ['10.1.2.3', '::ffff:10.0.0.0/104', 1],
    ['10.1.2.3', '2001:db8::/32', 0],
    ['2001:db8::1', '0.0.0.0/0', 0],
    ['256.1.1.1', '0.0.0.0/0', 0],
    ['1.2.3', '0.0.0.0/0', 0],
    ['not an ip', '0.0.0.0/0', 0],
    ['1:2:3:4:5:6:7:8:9', '::/0', 0],
    ['1::2::3', '::/0', 0],
    ['10.0.0.1', '10.0.0.0/33', 0],
    ['10.0.0.1', '10.0.0.0/x', 0],
    ['10.0.0.1', 'garbage', 0],
    ['', '0.0.0.0/0', 0],
  ])('%s in %s → %i', (ip, cidr, expected) => {
    expect(ipInCidr(ip, cidr)).toBe(expected);
  });

  it('treats NULL as no match', () => {
    expect(ipInCidr(null, '0.0.0.0/0')).toBe(0);
  });

  it('parses addresses into 16-bit groups', () => {
    expect(parseIp('08.1.250.216')).toEqual({ v4: true, groups: [0x0801, 0xfad8] });
    expect(parseIp('2001:db8::ff00:42:8329')).toEqual({
      v4: false,
      groups: [0x2001, 0xdb8, 0, 0, 0, 0xff00, 0x42, 0x8329],
    });
    expect(parseCidr('2001:db8::/32')).toEqual({
      v4: false,
      groups: [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
      prefix: 32,
    });
  });
});

describe('registerSqlFunctions', () => {
  it('exposes ip_in_cidr to SQL, with NULL and non-text arguments giving 0', () => {
    const db = new Database(':memory:');
    registerSqlFunctions(db);
    const row = db
      .prepare(
        `SELECT ip_in_cidr('10.1.2.3', '10.0.0.0/8') a, ip_in_cidr(NULL, '10.0.0.0/8') b, ip_in_cidr(167837955, '10.0.0.0/8') c, ip_in_cidr('2001:db8::1', ?) d`,
      )
      .get('2001:db8::/48');
    expect(row).toEqual({ a: 1, b: 0, c: 0, d: 1 });
    db.close();
  });
});
