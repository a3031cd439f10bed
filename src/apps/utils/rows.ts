// Decoding process.list's table: JSON rows for a process and its descendants. Layer: apps
// (pure). The table is not trusted: it names processes the user started, so a row that
// does not have the documented shape is dropped (and counted), names are made printable,
// and no more rows are kept than the kernel could ever have processes.
import { LIMITS } from '../../abi/limits.ts';
import { err, ok, type Result } from '../../abi/result.ts';
import { printable } from './text.ts';

export interface ProcessRow {
  readonly pid: number;
  readonly name: string;
  /** Lowercase ProcessState name, as the kernel writes it ("running", "exited", …). */
  readonly state: string;
  /** 0 for the root of the tree (or a row whose parent is outside the listing). */
  readonly parent: number;
  readonly priority: string;
  readonly cpuMs: number;
  readonly handles: number;
  readonly memoryBytes: number;
}

export interface DecodedRows {
  readonly rows: readonly ProcessRow[];
  /** Rows dropped for a bad shape or a repeated pid. */
  readonly dropped: number;
}

/** Longest state or priority word kept; the kernel's are at most 11 characters. */
const WORD_LENGTH = 16;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const isAmount = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const word = (v: unknown): string | null =>
  typeof v === 'string' && v.length > 0 && v.length <= WORD_LENGTH ? printable(v) : null;

/** One row, or null if any field is missing or out of range. */
export function decodeRow(v: unknown): ProcessRow | null {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return null;
  const r = v as Record<string, unknown>;
  const { pid, name, parent, cpu_ms, handles, memory_bytes } = r;
  const state = word(r['state']);
  const priority = word(r['priority']);
  if (!isCount(pid) || pid === 0 || !isCount(parent) || typeof name !== 'string') return null;
  if (state === null || priority === null) return null;
  if (!isAmount(cpu_ms) || !isCount(handles) || !isAmount(memory_bytes)) return null;
  return {
    pid,
    name: printable(name.slice(0, LIMITS.NAME_LENGTH)),
    state,
    parent,
    priority,
    cpuMs: cpu_ms,
    handles,
    memoryBytes: memory_bytes,
  };
}

/** The table's rows in the order given; an error only when it is not a JSON array at all. */
export function decodeRows(table: string): Result<DecodedRows> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(table);
  } catch {
    return err('the process table is not JSON');
  }
  if (!Array.isArray(parsed)) return err('the process table is not a list');
  const rows: ProcessRow[] = [];
  const seen = new Set<number>();
  let dropped = Math.max(0, parsed.length - LIMITS.PROCESSES);
  for (const v of parsed.slice(0, LIMITS.PROCESSES)) {
    const row = decodeRow(v);
    if (row === null || seen.has(row.pid)) dropped++;
    else {
      seen.add(row.pid);
      rows.push(row);
    }
  }
  return ok({ rows, dropped });
}
