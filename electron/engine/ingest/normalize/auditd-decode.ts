/**
 * Decoding of the encoded values auditd writes: hex-encoded strings (for anything an
 * untrusted user controls) and binary socket addresses (SOCKADDR `saddr`).
 */

const HEX_VALUE = /^(?:[0-9A-Fa-f]{2})+$/;

/**
 * Fields that auditd hex-encodes when the value contains a space, quote, control or non-ASCII
 * byte (`audit_log_untrustedstring` in the kernel, `audit_encode_value` in userspace). Other
 * fields that look like hex (`a0=7f56…` in SYSCALL, `inode`, …) are numbers and stay as they are.
 */
const HEX_ENCODED_FIELDS: ReadonlySet<string> = new Set([
  'acct',
  'cmd',
  'comm',
  'cwd',
  'data',
  'dir',
  'exe',
  'file',
  'grp',
  'key',
  'name',
  'new-chardev',
  'new-disk',
  'new-fs',
  'new-net',
  'new-rng',
  'ocomm',
  'old-chardev',
  'old-disk',
  'old-fs',
  'old-net',
  'old-rng',
  'path',
  'proctitle',
  'root_dir',
  'vm',
  'vm-ctx',
  'watch',
  'img-ctx',
  'sauid',
  'old-vcpu',
  'new-vcpu',
]);

/** EXECVE arguments (`a0`, `a12`) and their chunks (`a1[0]`) are hex-encoded the same way. */
const EXECVE_ARG = /^a\d{1,6}(?:\[\d{1,6}\])?$/;

const lossyUtf8 = new TextDecoder('utf-8', { fatal: false });

/** Bytes of an even-length hex string. */
export function hexToBytes(hex: string): Uint8Array {
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** True when `value` is a non-empty, even-length string of hex digits. */
export function isHexString(value: string): boolean {
  return HEX_VALUE.test(value);
}

/** Whether an unquoted value of this field in this record type is auditd hex encoding. */
export function isHexEncodedField(recordType: string, key: string): boolean {
  if (HEX_ENCODED_FIELDS.has(key)) return true;
  return recordType === 'EXECVE' && EXECVE_ARG.test(key);
}

/**
 * Decode an auditd hex string as UTF-8 (lossy: log content is not guaranteed to be UTF-8).
 * `proctitle` separates argv with NUL, which we show as spaces; `key` separates multiple
 * rule keys with 0x01, which auditd's own tools show as commas.
 */
export function decodeHexValue(key: string, hex: string): string {
  const text = lossyUtf8.decode(hexToBytes(hex));
  if (key === 'proctitle') return text.replace(/\0+$/, '').replace(/\0/g, ' ');
  if (key === 'key') return text.split('\x01').join(',');
  return text;
}

/** What a SOCKADDR `saddr` holds, named like `ausearch -i` / the ENRICHED log format does. */
export interface DecodedSockaddr {
  saddr_fam: string;
  laddr?: string;
  lport?: string;
  path?: string;
}

function ipv6Text(bytes: Uint8Array): string {
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  // Collapse the longest run of zero groups, as RFC 5952 asks.
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (groups[i] !== '0') {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === '0') j++;
    if (j - i > bestLen && j - i > 1) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart < 0) return groups.join(':');
  const head = groups.slice(0, bestStart).join(':');
  const tail = groups.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/**
 * Decode a SOCKADDR `saddr` (a raw `struct sockaddr`, hex). The family is host-endian; we
 * assume little-endian (x86, arm64), which covers the hosts auditd logs come from in practice.
 * Returns undefined for values that are not hex or too short to hold a family.
 */
export function decodeSockaddr(hex: string): DecodedSockaddr | undefined {
  if (!isHexString(hex) || hex.length < 4) return undefined;
  const b = hexToBytes(hex);
  const family = (b[0] ?? 0) | ((b[1] ?? 0) << 8);
  const port = (): string => String(((b[2] ?? 0) << 8) | (b[3] ?? 0));
  if (family === 2 && b.length >= 8) {
    return { saddr_fam: 'inet', laddr: `${b[4]}.${b[5]}.${b[6]}.${b[7]}`, lport: port() };
  }
  if (family === 10 && b.length >= 24) {
    return { saddr_fam: 'inet6', laddr: ipv6Text(b.subarray(8, 24)), lport: port() };
  }
  if (family === 1) {
    const raw = b.subarray(2);
    // A leading NUL marks a Linux abstract socket name, conventionally shown with '@'.
    if (raw[0] === 0) {
      const end = raw.indexOf(0, 1);
      return {
        saddr_fam: 'local',
        path: `@${lossyUtf8.decode(raw.subarray(1, end < 0 ? raw.length : end))}`,
      };
    }
    const end = raw.indexOf(0);
    return { saddr_fam: 'local', path: lossyUtf8.decode(raw.subarray(0, end < 0 ? raw.length : end)) };
  }
  if (family === 16) return { saddr_fam: 'netlink' };
  return { saddr_fam: String(family) };
}
