// VM_FAULT_* bits and errno values as the model uses them.
// Values are those of include/linux/mm.h @ v2.6.37:144-147,716-736 (VERIFIED in
// kernel-fault-path.md §2.1); the v6.x enum keeps the same values for every bit used here (§5.1).

export const VM_FAULT = {
  OOM: 0x0001,
  SIGBUS: 0x0002,
  MAJOR: 0x0004,
  WRITE: 0x0008,
  HWPOISON: 0x0010,
  HWPOISON_LARGE: 0x0020,
  NOPAGE: 0x0100,
  LOCKED: 0x0200,
  RETRY: 0x0400,
} as const;

export type VmFaultName = keyof typeof VM_FAULT;

/** VM_FAULT_ERROR at v2.6.37 = OOM | SIGBUS | HWPOISON | HWPOISON_LARGE. */
export const VM_FAULT_ERROR = 0x0033;

export const ERRNO = { EINVAL: 22, ENOMEM: 12, ENOSPC: 28, EFAULT: 14, EAGAIN: 11, EIO: 5 } as const;
export type ErrnoName = keyof typeof ERRNO;

/** A C int returned by ->page_mkwrite, read as the unsigned bit set the VM tests it as. */
export function bits(ret: number): number {
  return ret >>> 0;
}

/** Human-readable form of a page_mkwrite / fault return value ("VM_FAULT_LOCKED|VM_FAULT_MAJOR", "0", "-EINVAL"). */
export function formatRet(ret: number): string {
  if (ret < 0) {
    const name = (Object.keys(ERRNO) as ErrnoName[]).find((k) => ERRNO[k] === -ret);
    return name ? `-${name}` : String(ret);
  }
  if (ret === 0) return '0';
  const names = (Object.keys(VM_FAULT) as VmFaultName[]).filter((k) => (ret & VM_FAULT[k]) !== 0);
  return names.map((n) => `VM_FAULT_${n}`).join('|');
}

/**
 * Parse a return-value spec: "0", "NOPAGE", "LOCKED|MAJOR", "VM_FAULT_SIGBUS", "-EINVAL", "-ENOMEM".
 * Returns a number (VM_FAULT bits) or an errno name for the handler's errno mapping.
 */
export type RetSpec = { bits: number } | { errno: ErrnoName };

export function parseRet(text: string): RetSpec {
  const t = text.trim();
  if (t.startsWith('-')) {
    const name = t.slice(1).toUpperCase();
    if (!(name in ERRNO)) throw new Error(`unknown errno "${t}" (known: ${Object.keys(ERRNO).map((e) => '-' + e).join(', ')})`);
    return { errno: name as ErrnoName };
  }
  if (t === '0' || t === '') return { bits: 0 };
  let b = 0;
  for (const part of t.split('|')) {
    const name = part.trim().toUpperCase().replace(/^VM_FAULT_/, '');
    if (!(name in VM_FAULT)) throw new Error(`unknown VM_FAULT bit "${part.trim()}" (known: ${Object.keys(VM_FAULT).join(', ')})`);
    b |= VM_FAULT[name as VmFaultName];
  }
  return { bits: b };
}
