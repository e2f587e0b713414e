/**
 * x86_64 syscall names for the numbers auditd writes in SYSCALL records, and what kind of
 * activity each one is. Only the calls that audit rules commonly watch are listed; the others
 * keep their number (`syscall:<n>`).
 */
import type { EventCategory } from '../../../../shared/domain/audit-event.ts';

/** `arch=` value of x86_64 (AUDIT_ARCH_X86_64). */
export const ARCH_X86_64 = 'c000003e';

const X86_64: ReadonlyMap<number, string> = new Map([
  [0, 'read'],
  [1, 'write'],
  [2, 'open'],
  [3, 'close'],
  [4, 'stat'],
  [5, 'fstat'],
  [6, 'lstat'],
  [9, 'mmap'],
  [10, 'mprotect'],
  [16, 'ioctl'],
  [21, 'access'],
  [22, 'pipe'],
  [32, 'dup'],
  [33, 'dup2'],
  [41, 'socket'],
  [42, 'connect'],
  [43, 'accept'],
  [44, 'sendto'],
  [45, 'recvfrom'],
  [46, 'sendmsg'],
  [47, 'recvmsg'],
  [48, 'shutdown'],
  [49, 'bind'],
  [50, 'listen'],
  [53, 'socketpair'],
  [54, 'setsockopt'],
  [56, 'clone'],
  [57, 'fork'],
  [58, 'vfork'],
  [59, 'execve'],
  [60, 'exit'],
  [61, 'wait4'],
  [62, 'kill'],
  [63, 'uname'],
  [76, 'truncate'],
  [77, 'ftruncate'],
  [80, 'chdir'],
  [82, 'rename'],
  [83, 'mkdir'],
  [84, 'rmdir'],
  [85, 'creat'],
  [86, 'link'],
  [87, 'unlink'],
  [88, 'symlink'],
  [89, 'readlink'],
  [90, 'chmod'],
  [91, 'fchmod'],
  [92, 'chown'],
  [93, 'fchown'],
  [94, 'lchown'],
  [95, 'umask'],
  [99, 'sysinfo'],
  [101, 'ptrace'],
  [103, 'syslog'],
  [105, 'setuid'],
  [106, 'setgid'],
  [112, 'setsid'],
  [113, 'setreuid'],
  [114, 'setregid'],
  [116, 'setgroups'],
  [117, 'setresuid'],
  [119, 'setresgid'],
  [122, 'setfsuid'],
  [123, 'setfsgid'],
  [133, 'mknod'],
  [135, 'personality'],
  [155, 'pivot_root'],
  [157, 'prctl'],
  [161, 'chroot'],
  [165, 'mount'],
  [166, 'umount2'],
  [169, 'reboot'],
  [170, 'sethostname'],
  [171, 'setdomainname'],
  [175, 'init_module'],
  [176, 'delete_module'],
  [188, 'setxattr'],
  [189, 'lsetxattr'],
  [190, 'fsetxattr'],
  [197, 'removexattr'],
  [198, 'lremovexattr'],
  [199, 'fremovexattr'],
  [200, 'tkill'],
  [234, 'tgkill'],
  [246, 'kexec_load'],
  [257, 'openat'],
  [258, 'mkdirat'],
  [259, 'mknodat'],
  [260, 'fchownat'],
  [262, 'newfstatat'],
  [263, 'unlinkat'],
  [264, 'renameat'],
  [265, 'linkat'],
  [266, 'symlinkat'],
  [267, 'readlinkat'],
  [268, 'fchmodat'],
  [269, 'faccessat'],
  [272, 'unshare'],
  [288, 'accept4'],
  [298, 'perf_event_open'],
  [304, 'open_by_handle_at'],
  [308, 'setns'],
  [310, 'process_vm_readv'],
  [311, 'process_vm_writev'],
  [313, 'finit_module'],
  [316, 'renameat2'],
  [319, 'memfd_create'],
  [320, 'kexec_file_load'],
  [321, 'bpf'],
  [322, 'execveat'],
  [437, 'openat2'],
]);

/** The name of a syscall number on `arch`, or undefined when we do not know it. */
export function syscallName(arch: string | undefined, syscall: string | undefined): string | undefined {
  if (syscall === undefined || syscall === '') return undefined;
  // auoms (and ENRICHED logs) already write the name.
  if (!/^\d+$/.test(syscall)) return syscall;
  if (arch?.toLowerCase() !== ARCH_X86_64) return undefined;
  return X86_64.get(Number(syscall));
}

const NETWORK = new Set([
  'socket',
  'connect',
  'accept',
  'accept4',
  'bind',
  'listen',
  'sendto',
  'recvfrom',
  'sendmsg',
  'recvmsg',
  'shutdown',
  'socketpair',
  'setsockopt',
]);
const FILE_CHANGE = new Set([
  'write',
  'truncate',
  'ftruncate',
  'rename',
  'renameat',
  'renameat2',
  'mkdir',
  'mkdirat',
  'rmdir',
  'creat',
  'link',
  'linkat',
  'unlink',
  'unlinkat',
  'symlink',
  'symlinkat',
  'chmod',
  'fchmod',
  'fchmodat',
  'chown',
  'fchown',
  'lchown',
  'fchownat',
  'mknod',
  'mknodat',
  'setxattr',
  'lsetxattr',
  'fsetxattr',
  'removexattr',
  'lremovexattr',
  'fremovexattr',
]);
const FILE_READ = new Set([
  'read',
  'stat',
  'fstat',
  'lstat',
  'newfstatat',
  'access',
  'faccessat',
  'readlink',
  'readlinkat',
  'open_by_handle_at',
  'process_vm_readv',
]);
const OPENS = new Set(['open', 'openat', 'openat2']);
const CONFIGURATION = new Set([
  'mount',
  'umount2',
  'sethostname',
  'setdomainname',
  'pivot_root',
  'chroot',
  'init_module',
  'finit_module',
  'delete_module',
  'kexec_load',
  'kexec_file_load',
  'reboot',
]);

// O_WRONLY | O_RDWR | O_CREAT | O_TRUNC: an open that can change the file.
const OPEN_WRITE_FLAGS = 0o1 | 0o2 | 0o100 | 0o1000;

/**
 * Category of a syscall. For open/openat the flags argument (hex `a1`/`a2`) tells reads from
 * writes.
 */
export function syscallCategory(name: string, args: { a1?: string; a2?: string }): EventCategory {
  if (NETWORK.has(name)) return 'network';
  if (FILE_CHANGE.has(name)) return 'data_change';
  if (FILE_READ.has(name)) return 'data_access';
  if (CONFIGURATION.has(name)) return 'configuration';
  if (OPENS.has(name)) {
    const flagsHex = name === 'open' ? args.a1 : args.a2;
    // Only the low bits matter; parsing all 16 digits would lose them to float rounding.
    const flags =
      flagsHex !== undefined && /^[0-9a-f]{1,16}$/i.test(flagsHex)
        ? Number.parseInt(flagsHex.slice(-8), 16)
        : 0;
    return flags & OPEN_WRITE_FLAGS ? 'data_change' : 'data_access';
  }
  return 'system';
}
