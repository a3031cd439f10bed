// Typed syscall stubs, derived from the table in src/abi/sys.ts: for each entry
// `object.verb_noun` a blocking `objectVerbNoun(...)` and an async
// `objectVerbNounAsync(...)`, taking the table's arguments in order and returning the
// status plus the named results. Layer: workers.
import { SYSCALLS, type SyscallDef, type WireKind } from '../abi/sys.ts';
import type { WireValue } from '../abi/syscall-codec.ts';
import type { SyscallClient } from './syscall-client.ts';

type In<K> = K extends 'bytes'
  ? Uint8Array
  : K extends 'string'
    ? string
    : K extends 'handles'
      ? readonly number[]
      : number;
type Out<K> = K extends 'bytes'
  ? Uint8Array
  : K extends 'string'
    ? string
    : K extends 'handles'
      ? number[]
      : number;

type Camel<S extends string> = S extends `${infer A}_${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;
type StubName<S extends string> = S extends `${infer A}.${infer B}` ? `${A}${Capitalize<Camel<B>>}` : S;

type Def = (typeof SYSCALLS)[number];
type ArgList<T> = T extends readonly [readonly [string, infer K], ...infer Rest]
  ? [In<K>, ...ArgList<Rest>]
  : [];
type ArgsOf<D extends Def> = ArgList<D['args']>;
type ResultOf<D extends Def> = { status: number } & {
  [R in D['results'][number] as R[0]]?: Out<R[1]>;
};

export type Stubs = {
  [D in Def as StubName<D['name']>]: (...args: ArgsOf<D>) => ResultOf<D>;
} & {
  [D in Def as `${StubName<D['name']>}Async`]: (...args: ArgsOf<D>) => Promise<ResultOf<D>>;
};

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export const stubName = (name: string): string =>
  name.replace(/[._]([a-z])/g, (_, c: string) => c.toUpperCase());

function toWire(kinds: readonly (readonly [string, WireKind])[], args: readonly unknown[]): WireValue[] {
  return kinds.map(([, kind], i) =>
    kind === 'string' ? encoder.encode(String(args[i])) : (args[i] as WireValue),
  );
}

function fromWire(def: SyscallDef, status: number, results: readonly WireValue[]): Record<string, unknown> {
  const out: Record<string, unknown> = { status };
  def.results.forEach(([name, kind], i) => {
    const v = results[i];
    if (v !== undefined) out[name] = kind === 'string' ? decoder.decode(v as Uint8Array) : v;
  });
  return out;
}

/** Builds the stub object over a client. */
export function makeStubs(client: SyscallClient): Stubs {
  const stubs: Record<string, unknown> = {};
  for (const def of SYSCALLS as readonly SyscallDef[]) {
    const name = stubName(def.name);
    stubs[name] = (...args: unknown[]) => {
      const c = client.call(def, toWire(def.args, args));
      return fromWire(def, c.status, c.results);
    };
    stubs[`${name}Async`] = async (...args: unknown[]) => {
      const c = await client.callAsync(def, toWire(def.args, args));
      return fromWire(def, c.status, c.results);
    };
  }
  return stubs as Stubs;
}
