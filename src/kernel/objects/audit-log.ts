// AuditLog: the kernel's record of capability grants, transfers, revocations and
// denials, readable through a handle with READ (init gets one at boot).
// Layer: kernel. Bounded: the oldest entries are dropped past LIMITS.AUDIT_ENTRIES.
import { LIMITS } from '../../abi/limits.ts';
import { ObjectType } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

export type AuditKind = 'grant' | 'transfer' | 'revoke' | 'deny' | 'fault';

export interface AuditEntry {
  readonly seq: number;
  /** Milliseconds on the shared epoch. */
  readonly at: number;
  readonly kind: AuditKind;
  /** The process that acted (0 for the kernel itself). */
  readonly pid: number;
  readonly detail: string;
}

export class AuditLog extends KernelObject {
  readonly type = ObjectType.AUDIT;
  readonly #entries: AuditEntry[] = [];
  readonly #now: () => number;
  #seq = 0;

  constructor(now: () => number) {
    super();
    this.#now = now;
  }

  record(kind: AuditKind, pid: number, detail: string): void {
    this.#entries.push({ seq: ++this.#seq, at: this.#now(), kind, pid, detail });
    if (this.#entries.length > LIMITS.AUDIT_ENTRIES) this.#entries.shift();
  }

  /** Entries with seq > after, oldest first, at most `max`. */
  since(after: number, max = 256): AuditEntry[] {
    const start = this.#entries.findIndex((e) => e.seq > after);
    return start === -1 ? [] : this.#entries.slice(start, start + max);
  }
}
