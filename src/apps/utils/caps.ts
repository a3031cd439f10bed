// caps: one line per initial handle, from object.info. Layer: apps (pure).
import { objectTypeName } from '../../abi/objects.ts';
import { Right } from '../../abi/rights.ts';
import { statusName } from '../../abi/status.ts';

/** Rights in the order a reader looks for them: what it can do, then what it can pass on. */
const RIGHT_ORDER: readonly (keyof typeof Right)[] = [
  'READ',
  'WRITE',
  'EXECUTE',
  'MAP',
  'SIGNAL',
  'WAIT',
  'INSPECT',
  'MANAGE',
  'TRANSFER',
  'DUPLICATE',
  'SERVER_0',
  'SERVER_1',
  'SERVER_2',
  'SERVER_3',
  'SERVER_4',
  'SERVER_5',
  'SERVER_6',
  'SERVER_7',
];

/** "READ WRITE WAIT", "NONE" for none; bits no right names show as hex. */
export function rightNames(rights: number): string {
  const names: string[] = RIGHT_ORDER.filter((n) => (rights & Right[n]) !== 0);
  const known = RIGHT_ORDER.reduce((all, n) => all | Right[n], 0);
  const unknown = rights & ~known;
  if (unknown !== 0) names.push(`0x${(unknown >>> 0).toString(16)}`);
  return names.length === 0 ? 'NONE' : names.join(' ');
}

export interface ObjectInfo {
  readonly status: number;
  readonly type?: number;
  readonly koid?: number;
  readonly rights?: number;
  readonly badge?: number;
  readonly related?: number;
}

/** What `related` means for each type (object.info's doc). */
const RELATED: Readonly<Record<string, string>> = { channel: 'peer', process: 'parent' };

/** `3  channel  koid 41  READ WRITE WAIT TRANSFER DUPLICATE`, or `3  ACCESS_DENIED`. */
export function capLine(index: number, info: ObjectInfo): string {
  if (info.status !== 0) return `${index}  ${statusName(info.status)}`;
  const type = objectTypeName(info.type ?? 0).toLowerCase();
  const parts = [String(index), type, `koid ${info.koid ?? 0}`, rightNames(info.rights ?? 0)];
  if (info.badge) parts.push(`badge ${info.badge}`);
  if (info.related) parts.push(`${RELATED[type] ?? 'related'} ${info.related}`);
  return parts.join('  ');
}
