// The fs server: serves a FileSystem's directories and files over channels, one channel
// per Directory or File handle (protocol: src/abi/fs-protocol.ts). Layer: fs. Trusts the
// kernel (the rights it reports with each request) and nothing a client sends: a request
// that does not decode is answered EINVAL (or dropped, if it has no id to answer), and
// every path goes through a DirView, which cannot leave its subtree.
//
// SHAPE. Each served object has the server's end of its channel, bound to one Port with
// the object's id as key. The loop takes a packet, drains that channel, answers each
// request in order, and binds again. A client's end is minted with the object's id as
// badge and exactly the fs rights it confers, then moved to the client in the reply;
// when the client closes its last handle, the server sees PEER_CLOSED and lets go.
import { FS_IO_MAX, FS_MAP_AFTER, FsErrno, FsRight, FsType, fsOpByNum } from '../abi/fs-protocol.ts';
import { LIMITS } from '../abi/limits.ts';
import { ObjectType, Signal } from '../abi/objects.ts';
import { hasRights, Right, rights, toRights, type Rights } from '../abi/rights.ts';
import { Status, statusName } from '../abi/status.ts';
import type { SyscallDef } from '../abi/sys.ts';
import { decodeCall, encodeCompletion, RecordBuffer, type WireValue } from '../abi/syscall-codec.ts';
import type { Channel } from '../workers/channel.ts';
import type { Stubs } from '../workers/stubs.ts';
import type { DirView } from './dir-view.ts';
import { Errno, type FsError, type FsResult } from './errors.ts';
import type { FileSystem } from './filesystem.ts';
import { O, type OpenFile } from './open-file.ts';
import type { DirEntry, Stat } from './stat.ts';

type Served =
  { readonly kind: 'dir'; readonly view: DirView } | { readonly kind: 'file'; readonly file: OpenFile };

interface Entry {
  /** Replaced for the root Directory when a restore replaces the volume. */
  object: Served;
  /** The server's end of the object's channel. */
  readonly channel: number;
  /** That end once mapped (see FS_MAP_AFTER); null while requests come through the kernel. */
  link: Channel | null;
  /** Requests answered so far, up to FS_MAP_AFTER. */
  requests: number;
  /**
   * Whether to watch the mapped end for a follow-up request before going back to the
   * port: on while this object's requests come back to back, off once a watch finds
   * none (its client is busy elsewhere, as a dir.open's caller with the file it opened).
   */
  followUps: boolean;
}

/** One message read from an object's channel, however it came. */
type Read =
  | {
      readonly status: typeof Status.OK;
      readonly data: Uint8Array;
      readonly handles: readonly number[];
      readonly rights: number;
    }
  | { readonly status: number };

/** What a handler returns: the errno, its results, and a new object to hand out. */
interface Answer {
  readonly errno: number;
  readonly results?: readonly WireValue[];
  readonly give?: { readonly object: Served; readonly rights: Rights };
  /** Work to do once the reply is sent (read-ahead), while the client takes it in. */
  readonly after?: () => void;
}

const ERRNO: Record<Errno, number> = {
  ENOENT: FsErrno.ENOENT,
  EEXIST: FsErrno.EEXIST,
  ENOTDIR: FsErrno.ENOTDIR,
  EISDIR: FsErrno.EISDIR,
  ENOTEMPTY: FsErrno.ENOTEMPTY,
  EINVAL: FsErrno.EINVAL,
  ELOOP: FsErrno.ELOOP,
  ENAMETOOLONG: FsErrno.ENAMETOOLONG,
  ENOSPC: FsErrno.ENOSPC,
  EBADF: FsErrno.EBADF,
  EROFS: FsErrno.EROFS,
  EBUSY: FsErrno.EBUSY,
  EPERM: FsErrno.EPERM,
  EMLINK: FsErrno.EMLINK,
  EIO: FsErrno.EIO,
  ENOTSUP: FsErrno.ENOTSUP,
  ENOTCAPABLE: FsErrno.ENOTCAPABLE,
  EXDEV: FsErrno.EXDEV,
};

const TYPES = { file: FsType.FILE, dir: FsType.DIR, symlink: FsType.SYMLINK } as const;

/** Channel rights every client handle keeps; the fs rights are added per object. */
const CHANNEL_RIGHTS = rights(
  Right.READ,
  Right.WRITE,
  Right.WAIT,
  Right.DUPLICATE,
  Right.TRANSFER,
  Right.INSPECT,
);

const failed = (e: FsError): Answer => ({ errno: ERRNO[e.code] ?? FsErrno.EIO });

/** Without CHROOT, a way out of the directory is ENOTCAPABLE rather than resolved from it (ADR 0031). */
const viewFor = (view: DirView, held: Rights): DirView =>
  hasRights(held, FsRight.CHROOT) ? view : view.refusingEscapes();

const OK: Answer = { errno: FsErrno.OK };
const encoder = new TextEncoder();
const statResults = (s: Stat): WireValue[] => [
  s.ino,
  TYPES[s.type],
  s.mode,
  s.nlink,
  s.size,
  s.atime,
  s.mtime,
  s.ctime,
];

function answer<T>(r: FsResult<T>, results: (v: T) => readonly WireValue[] = () => []): Answer {
  return r.ok ? { errno: FsErrno.OK, results: results(r.value) } : failed(r.error);
}

/** The syscalls the server makes, as promises (see `blockingCalls`). */
type Calls = Pick<
  Stubs,
  | 'portCreateAsync'
  | 'portWaitAsync'
  | 'portBindAsync'
  | 'channelReadAsync'
  | 'channelWriteAsync'
  | 'channelCreateAsync'
  | 'handleMintAsync'
  | 'handleCloseAsync'
>;

/**
 * Requests answered for one object before the server goes back to its port, where other
 * objects' packets queue: a client that never stops sending cannot starve the others.
 */
const SERVICE_BURST = 64;
/** Mapped ends the server keeps at most, below the kernel's per-process limit. */
const MAX_MAPPED = LIMITS.MAPPED_CHANNELS - 8;
/**
 * After answering on a mapped end, a blocking server watches that ring this long for
 * the client's next request before it goes back to its port: a client in a loop of
 * requests sends the next one within tens of microseconds, and a port wait and bind
 * cost two syscalls and a doorbell. Bounded, so other channels wait at most this long.
 */
const FOLLOW_UP_SPIN_MS = 0.25;

/**
 * How long a blocking port.wait parks before the worker's event loop gets a turn. Parked, the
 * server is idle to the watchdog and needs no heartbeat; nothing else in its worker waits
 * on the event loop, so an idle server wakes (and wakes the kernel) only this often.
 */
const BLOCKING_WAIT_MS = 2000;
/** The longest a busy server goes without giving its event loop a turn (the kernel's watchdog watches it). */
const YIELD_EVERY_MS = 100;

/**
 * The server's syscalls made with the blocking stubs: a dedicated worker that does
 * nothing but serve parks in Atomics.wait (after a spin) instead of resolving each
 * completion through Atomics.waitAsync and a task, which costs a wake-up per syscall.
 * The worker's event loop (kernel messages, timers, its heartbeat) still gets a turn at
 * least every YIELD_EVERY_MS while busy, and every BLOCKING_WAIT_MS while idle.
 */
function blockingCalls(sys: Stubs): { calls: Calls; breathe: () => Promise<void> } {
  let yielded = performance.now();
  const turn = async (): Promise<void> => {
    await new Promise((resolve) => setTimeout(resolve, 0));
    yielded = performance.now();
  };
  const sync =
    <A extends unknown[], R>(call: (...a: A) => R) =>
    async (...a: A): Promise<R> => {
      if (performance.now() - yielded > YIELD_EVERY_MS) await turn();
      return call(...a);
    };
  const calls: Calls = {
    portCreateAsync: sync(() => sys.portCreate()),
    portWaitAsync: async (port, timeoutMs) => {
      for (;;) {
        if (performance.now() - yielded > YIELD_EVERY_MS) await turn();
        const wait = timeoutMs < 0 ? BLOCKING_WAIT_MS : Math.min(timeoutMs, BLOCKING_WAIT_MS);
        const r = sys.portWait(port, wait);
        if (r.status !== Status.TIMED_OUT || (timeoutMs >= 0 && wait === timeoutMs)) return r;
        if (timeoutMs >= 0) timeoutMs -= wait;
        await turn();
      }
    },
    portBindAsync: sync(sys.portBind),
    channelReadAsync: sync(sys.channelRead),
    channelWriteAsync: sync(sys.channelWrite),
    channelCreateAsync: sync(() => sys.channelCreate()),
    handleMintAsync: sync(sys.handleMint),
    handleCloseAsync: sync(sys.handleClose),
  };
  // For a loop that makes no syscalls (requests on mapped ends): the turn the syscalls would give.
  const breathe = async (): Promise<void> => {
    if (performance.now() - yielded > YIELD_EVERY_MS) await turn();
  };
  return { calls, breathe };
}

/**
 * Channels the server keeps made and bound to its port ahead of need, so that handing out
 * a File or Directory waits for the mint alone instead of channel.create first. Made in
 * batches (one wait for all the creates, one for all the binds) when fewer than half are
 * left, just before the server would wait for requests.
 */
const SPARE_CHANNELS = 8;

export interface FsServerOptions {
  /**
   * Make syscalls with the blocking stubs (only where the kernel runs on another thread:
   * the fs program's own worker). Default false: the async stubs, as in-thread tests need.
   */
  readonly blocking?: boolean;
  readonly log?: (message: string) => void;
  /** Maps a channel end of this domain (`DomainContext.mapChannel`); without it no end is mapped. */
  readonly mapChannel?: (handle: number) => Promise<Channel | number>;
}

export class FsServer {
  readonly #fs: FileSystem;
  readonly #sys: Calls;
  /** The stubs as given, for calls that go out together (#give). */
  readonly #raw: Stubs;
  readonly #log: (message: string) => void;
  readonly #map: ((handle: number) => Promise<Channel | number>) | null;
  readonly #blocking: boolean;
  readonly #breathe: () => Promise<void>;
  readonly #objects = new Map<number, Entry>();
  #port = 0;
  #nextId = 1;
  #mapped = 0;
  /** The object the last request was for. */
  #lastServed = 0;
  /** Channels made and watched ahead (SPARE_CHANNELS), under ids no entry has yet. */
  readonly #spares: { id: number; mine: number; theirs: number }[] = [];
  /**
   * Replies are encoded here and file reads land here, so a 64 KiB read allocates
   * nothing in the server (RecordBuffer). Used only where a reply is sent before the
   * next request is looked at: blocking, each write copies it out before it returns.
   */
  readonly #replyBuffer = new RecordBuffer();
  readonly #readBuffer = new Uint8Array(FS_IO_MAX);

  constructor(fs: FileSystem, sys: Stubs, options: FsServerOptions = {}) {
    this.#fs = fs;
    this.#raw = sys;
    this.#blocking = options.blocking === true;
    const blocking = this.#blocking ? blockingCalls(sys) : null;
    this.#sys = blocking ? blocking.calls : sys;
    this.#breathe = blocking ? blocking.breathe : () => Promise.resolve();
    this.#log = options.log ?? (() => undefined);
    this.#map = options.mapChannel ?? null;
  }

  /**
   * Serves the volume's root as a Directory on `channel` (the server's end; its peer is
   * the root Directory handle, whose rights the kernel reports with each request) until
   * every client has gone.
   */
  async serve(channel: number): Promise<void> {
    const port = await this.#sys.portCreateAsync();
    if (port.status !== Status.OK) throw new Error(`port.create: ${statusName(port.status)}`);
    this.#port = port.port ?? 0;
    await this.#add({ kind: 'dir', view: this.#fs.volume.top }, channel);
    while (this.#objects.size > 0) {
      if (this.#spares.length < SPARE_CHANNELS / 2) await this.#makeSpares();
      const packet = await this.#sys.portWaitAsync(this.#port, -1);
      if (packet.status !== Status.OK) throw new Error(`port.wait: ${statusName(packet.status)}`);
      await this.#service(packet.key ?? 0);
    }
  }

  async #add(object: Served, channel: number): Promise<number> {
    const id = this.#register(object, channel);
    await this.#watch(id, channel);
    return id;
  }

  /** A new entry for `object` served on `channel`, not yet watched; its id. */
  #register(object: Served, channel: number, id = this.#nextId++): number {
    this.#objects.set(id, { object, channel, link: null, requests: 0, followUps: true });
    return id;
  }

  /**
   * Tops the spare channels up to SPARE_CHANNELS. The creates go out together and the
   * binds go out together (a blocking server waits on the last of each: its completion
   * comes after the others', since the kernel serves a domain's calls in order).
   */
  async #makeSpares(): Promise<void> {
    const together = async <A, T>(items: readonly A[], async: (a: A) => Promise<T>, sync: (a: A) => T) => {
      if (!this.#blocking || items.length === 0) return Promise.all(items.map(async));
      const early = items.slice(0, -1).map(async);
      const last = sync(items[items.length - 1] as A);
      return [...(await Promise.all(early)), last];
    };
    const wanted = Array.from({ length: SPARE_CHANNELS - this.#spares.length }, () => undefined);
    const made = await together(
      wanted,
      () => this.#raw.channelCreateAsync(),
      () => this.#raw.channelCreate(),
    );
    const signals = Signal.READABLE | Signal.PEER_CLOSED;
    const spares = made
      .filter((c) => c.status === Status.OK)
      .map((c) => ({ id: this.#nextId++, mine: c.end0 ?? 0, theirs: c.end1 ?? 0 }));
    const bound = await together(
      spares,
      (s) => this.#raw.portBindAsync(this.#port, s.mine, signals, s.id),
      (s) => this.#raw.portBind(this.#port, s.mine, signals, s.id),
    );
    bound.forEach((b, k) => {
      if (b.status !== Status.OK) throw new Error(`port.bind: ${statusName(b.status)}`);
      this.#spares.push(spares[k] as (typeof spares)[number]);
    });
  }

  async #watch(id: number, channel: number): Promise<void> {
    const bound = await this.#sys.portBindAsync(
      this.#port,
      channel,
      Signal.READABLE | Signal.PEER_CLOSED,
      id,
    );
    if (bound.status !== Status.OK) throw new Error(`port.bind: ${statusName(bound.status)}`);
  }

  /**
   * Answers everything queued on one object's channel, then watches it again (or lets it
   * go). A mapped end is also watched for a follow-up request for a moment first. After
   * SERVICE_BURST requests the object waits its turn again (a readable end's bind fires at once).
   */
  async #service(id: number): Promise<void> {
    const entry = this.#objects.get(id);
    if (!entry) return;
    for (let served = 0; served < SERVICE_BURST;) {
      const m = await this.#read(entry);
      if (m.status === Status.SHOULD_WAIT) {
        if (!entry.link || !this.#blocking || !entry.followUps) break;
        entry.followUps = entry.link.pollFor(FOLLOW_UP_SPIN_MS);
        if (!entry.followUps) break;
        await this.#breathe();
        continue;
      }
      if (!('data' in m)) return this.#drop(id, entry);
      // Two requests in a row for one object: its client is in a loop on it again.
      if (this.#lastServed === id) entry.followUps = true;
      this.#lastServed = id;
      await this.#request(entry, m.data, m.rights as Rights, m.handles);
      served++;
      if (entry.requests < FS_MAP_AFTER && ++entry.requests === FS_MAP_AFTER) await this.#mapEnd(entry);
      // An unmapped end is watched again at once: a client that waits for each reply has
      // sent nothing more, and a read to find that out is a syscall; if it did send more,
      // the bind fires at once.
      if (!entry.link) break;
    }
    await this.#watch(id, entry.channel);
  }

  async #read(entry: Entry): Promise<Read> {
    if (entry.link) {
      // Blocking, a message the kernel queued is fetched with the blocking stub, as ever.
      const r = this.#blocking ? entry.link.read() : await entry.link.readAsync(0);
      return r.status === Status.OK ? { status: r.status, ...r.message } : r;
    }
    const m = await this.#sys.channelReadAsync(entry.channel);
    if (m.status !== Status.OK) return { status: m.status };
    return {
      status: m.status,
      data: m.data ?? new Uint8Array(),
      handles: m.handles ?? [],
      rights: m.rights ?? 0,
    };
  }

  /** Maps the server's end of an object in steady use, while the server has mappings to spare. */
  async #mapEnd(entry: Entry): Promise<void> {
    if (!this.#map || this.#mapped >= MAX_MAPPED) return;
    const link = await this.#map(entry.channel);
    if (typeof link === 'number') {
      this.#log(`could not map a client's channel (${statusName(link)}); it stays unmapped`);
      return;
    }
    entry.link = link;
    this.#mapped++;
  }

  #drop(id: number, entry: Entry): void {
    this.#objects.delete(id);
    if (entry.object.kind === 'file') entry.object.file.close();
    if (entry.link) this.#mapped--;
    // Not waited for: the kernel serves this domain's calls in order, and nothing after
    // depends on the close (a client's close of a File costs the server no round trip).
    void this.#raw.handleCloseAsync(entry.channel);
  }

  /** Answers one request; the handles it carried (only the *_into ops take one) are closed after. */
  async #request(entry: Entry, bytes: Uint8Array, held: Rights, attached: readonly number[]): Promise<void> {
    // `bytes` is the server's own copy (#read), so arguments may be views of it.
    const call = decodeCall(bytes, fsOpByNum, true);
    if (!call.ok) {
      this.#log(`dropped a malformed request: ${call.error}`);
      for (const h of attached) void this.#raw.handleCloseAsync(h);
      return;
    }
    const { def, tag, args } = call.value;
    const result = await this.#dispatch(entry.object, def, args, held, attached);
    for (const h of attached) void this.#raw.handleCloseAsync(h); // in order before the reply
    let handles: number[] = [];
    let errno = result.errno;
    if (errno === FsErrno.OK && result.give) {
      const given = await this.#give(result.give.object, result.give.rights);
      if (typeof given === 'number') handles = [given];
      else errno = given.errno;
    }
    const out = this.#blocking ? this.#replyBuffer : undefined;
    let reply = encodeCompletion(def, tag, errno, errno === FsErrno.OK ? (result.results ?? []) : [], out);
    // Never send what the kernel would refuse: a reply over the message limit is an error instead.
    if (reply.byteLength > LIMITS.MESSAGE_BYTES) {
      for (const h of handles.splice(0)) await this.#sys.handleCloseAsync(h);
      reply = encodeCompletion(def, tag, FsErrno.EOVERFLOW, []);
    }
    const wrote = entry.link
      ? {
          status: this.#blocking
            ? entry.link.write(reply, handles)
            : await entry.link.writeAsync(reply, handles),
        }
      : await this.#sys.channelWriteAsync(entry.channel, reply, handles);
    if (wrote.status !== Status.OK) for (const h of handles) await this.#sys.handleCloseAsync(h);
    result.after?.();
  }

  /**
   * A channel for `object` (a spare one when there is one: then only the mint and the
   * close go out); returns the client's end, minted with exactly `fsRights`.
   * Without a spare, after channel.create the bind, the mint and the close go out together: the kernel
   * serves one domain's calls in the order they were submitted, so `theirs` is closed only
   * after it was minted from, and a blocking server waits once for the three (its blocking
   * close delivers the others' completions too) instead of three times.
   */
  async #give(object: Served, fsRights: Rights): Promise<number | Answer> {
    const spare = this.#spares.pop();
    let id: number;
    let theirs: number;
    let bound: Promise<{ status: number }> | null = null;
    if (spare) {
      id = this.#register(object, spare.mine, spare.id);
      theirs = spare.theirs;
    } else {
      const c = await this.#sys.channelCreateAsync();
      if (c.status !== Status.OK) return { errno: FsErrno.EBUSY };
      theirs = c.end1 ?? 0;
      id = this.#register(object, c.end0 ?? 0);
      const signals = Signal.READABLE | Signal.PEER_CLOSED;
      bound = this.#raw.portBindAsync(this.#port, c.end0 ?? 0, signals, id);
    }
    const minted = this.#raw.handleMintAsync(theirs, rights(CHANNEL_RIGHTS, fsRights), id);
    if (this.#blocking) this.#raw.handleClose(theirs);
    else void this.#raw.handleCloseAsync(theirs);
    const [b, m] = await Promise.all([bound, minted]);
    if (b && b.status !== Status.OK) throw new Error(`port.bind: ${statusName(b.status)}`);
    if (m.status === Status.OK) return m.minted ?? 0;
    // Our table is full: nobody can reach the object, so it goes again.
    const entry = this.#objects.get(id);
    if (entry) this.#drop(id, entry);
    return { errno: FsErrno.EBUSY };
  }

  #dispatch(
    object: Served,
    def: SyscallDef,
    args: readonly WireValue[],
    held: Rights,
    attached: readonly number[],
  ): Answer | Promise<Answer> {
    const need = (...r: Rights[]): boolean => hasRights(held, rights(...r));
    if (object.kind === 'file') return this.#file(object.file, def.name, args, need);
    const view = viewFor(object.view, held);
    if (def.name === 'dir.rename_into' || def.name === 'dir.link_into')
      return this.#into(view, def.name, args, held, attached);
    return this.#dir(view, def.name, args, held, need);
  }

  /** dir.rename_into and dir.link_into: `to` resolves under the attached Directory, with its rights. */
  async #into(
    view: DirView,
    name: string,
    a: readonly WireValue[],
    held: Rights,
    attached: readonly number[],
  ): Promise<Answer> {
    const s = (i: number): string => new TextDecoder().decode(a[i] as Uint8Array);
    const target = await this.#attachedDir(attached);
    if ('errno' in target) return target;
    const there = (...r: Rights[]): boolean => hasRights(target.held, rights(...r));
    if (name === 'dir.rename_into')
      return hasRights(held, FsRight.DELETE) && there(FsRight.CREATE)
        ? answer(view.rename(s(0), s(1), target.view))
        : { errno: FsErrno.ENOTCAPABLE };
    return there(FsRight.CREATE)
      ? answer(view.link(s(0), s(1), target.view))
      : { errno: FsErrno.ENOTCAPABLE };
  }

  /**
   * The Directory a request's one attached handle stands for, and the fs rights it
   * confers. It must be a client's end of a channel this server serves: its badge names
   * the object and its peer is that object's end. A badge alone proves nothing, since
   * anyone may stamp one on a channel of their own.
   */
  async #attachedDir(
    attached: readonly number[],
  ): Promise<{ readonly view: DirView; readonly held: Rights } | { readonly errno: number }> {
    const [handle] = attached;
    if (handle === undefined || attached.length !== 1) return { errno: FsErrno.EINVAL };
    const elsewhere = { errno: FsErrno.EXDEV };
    const info = await this.#raw.objectInfoAsync(handle);
    if (info.status !== Status.OK || info.type !== ObjectType.CHANNEL) return elsewhere;
    const entry = this.#objects.get(info.badge ?? 0);
    if (!entry) return elsewhere;
    const ours = await this.#raw.objectInfoAsync(entry.channel);
    if (ours.status !== Status.OK || ours.koid !== info.related) return elsewhere;
    if (entry.object.kind !== 'dir') return { errno: FsErrno.ENOTDIR };
    const held = toRights(info.rights ?? 0);
    if (held === null) return { errno: FsErrno.EIO };
    return { view: viewFor(entry.object.view, held), held };
  }

  #dir(
    view: DirView,
    name: string,
    a: readonly WireValue[],
    held: Rights,
    need: (...r: Rights[]) => boolean,
  ): Answer | Promise<Answer> {
    const s = (i: number): string => new TextDecoder().decode(a[i] as Uint8Array);
    const n = (i: number): number => a[i] as number;
    const denied: Answer = { errno: FsErrno.ENOTCAPABLE };
    switch (name) {
      case 'dir.stat':
        return need(FsRight.ENUMERATE) ? answer(view.stat(s(0), n(1) !== 0), statResults) : denied;
      case 'dir.open':
        return this.#open(view, s(0), n(1), n(2), held, need);
      case 'dir.write_file':
        return this.#writeFile(view, s(0), n(1), n(2), a[3] as Uint8Array, held, need);
      case 'dir.open_dir': {
        const sub = view.openDir(s(0));
        if (!sub.ok) return failed(sub.error);
        return {
          errno: FsErrno.OK,
          give: { object: { kind: 'dir', view: sub.value }, rights: fsBits(held) },
        };
      }
      case 'dir.mkdir':
        return need(FsRight.CREATE) ? answer(view.mkdir(s(0), n(1))) : denied;
      case 'dir.rmdir':
        return need(FsRight.DELETE) ? answer(view.rmdir(s(0))) : denied;
      case 'dir.unlink':
        return need(FsRight.DELETE) ? answer(view.unlink(s(0))) : denied;
      case 'dir.rename':
        return need(FsRight.DELETE, FsRight.CREATE) ? answer(view.rename(s(0), s(1))) : denied;
      case 'dir.symlink':
        return need(FsRight.CREATE) ? answer(view.symlink(s(0), s(1))) : denied;
      case 'dir.readlink':
        return need(FsRight.ENUMERATE)
          ? answer(view.readlink(s(0)), (t) => [new TextEncoder().encode(t)])
          : denied;
      case 'dir.link':
        return need(FsRight.CREATE) ? answer(view.link(s(0), s(1))) : denied;
      case 'dir.readdir':
        return need(FsRight.ENUMERATE)
          ? answer(view.readdir(s(0)), (list) => readdirPage(list, n(1)))
          : denied;
      case 'dir.utimes':
        return need(FsRight.WRITE) ? answer(view.utimes(s(0), n(1), n(2))) : denied;
      case 'dir.truncate':
        return need(FsRight.WRITE) ? answer(view.truncate(s(0), n(1))) : denied;
      case 'dir.sync':
        return need(FsRight.WRITE) ? this.#sync() : denied;
      case 'dir.snapshot':
      case 'dir.snapshots':
      case 'dir.diff':
      case 'dir.restore':
      case 'dir.open_snapshot':
        // Snapshots are of the whole store: only a handle on its root may name them.
        if (view.dir !== this.#fs.volume.root) return denied;
        return this.#snapshots(name, s, need);
      case 'dir.usage': {
        if (view.dir !== this.#fs.volume.root || !need(FsRight.ENUMERATE)) return denied;
        const u = this.#fs.usage();
        return { errno: FsErrno.OK, results: [u.storedBytes, u.dirtyBytes, u.quotaBytes] };
      }
      default:
        return { errno: FsErrno.ENOTSUP }; // a file op on a Directory handle
    }
  }

  #open(
    view: DirView,
    path: string,
    flags: number,
    mode: number,
    held: Rights,
    need: (...r: Rights[]) => boolean,
  ): Answer {
    const access = flags & O.ACCMODE;
    const wants = rights(
      access !== O.WRONLY ? FsRight.READ : Right.NONE,
      access !== O.RDONLY || (flags & O.TRUNC) !== 0 ? FsRight.WRITE : Right.NONE,
    );
    if (!hasRights(held, wants)) return { errno: FsErrno.ENOTCAPABLE };
    // Creating needs CREATE; opening what exists does not.
    if ((flags & O.CREAT) !== 0 && !need(FsRight.CREATE)) {
      const exists = view.stat(path, true);
      if (!exists.ok)
        return exists.error.code === Errno.ENOENT ? { errno: FsErrno.ENOTCAPABLE } : failed(exists.error);
    }
    const file = view.open(path, flags, mode);
    if (!file.ok) return failed(file.error);
    // A File handle on a directory could only stat it: directories are dir.open_dir's.
    if (file.value.isDirectory) {
      file.value.close();
      return { errno: FsErrno.EISDIR };
    }
    // The digest rides on the reply (ADR 0033): a spawner learns it without another exchange.
    const digest = hasRights(wants, FsRight.READ) ? file.value.digest() : null;
    return {
      errno: FsErrno.OK,
      results: [encoder.encode(digest?.ok ? (digest.value ?? '') : '')],
      give: { object: { kind: 'file', file: file.value }, rights: wants },
    };
  }

  /** dir.write_file: #open for writing, one write, and the file closed again. */
  #writeFile(
    view: DirView,
    path: string,
    flags: number,
    mode: number,
    data: Uint8Array,
    held: Rights,
    need: (...r: Rights[]) => boolean,
  ): Answer {
    if (data.byteLength > FS_IO_MAX) return { errno: FsErrno.EINVAL };
    const opened = this.#open(view, path, (flags & ~O.ACCMODE) | O.WRONLY, mode, held, need);
    if (opened.errno !== FsErrno.OK || opened.give?.object.kind !== 'file') return opened;
    const file = opened.give.object.file;
    try {
      return answer(file.write(data), (w) => [w]);
    } finally {
      file.close();
    }
  }

  #file(
    file: OpenFile,
    name: string,
    a: readonly WireValue[],
    need: (...r: Rights[]) => boolean,
  ): Answer | Promise<Answer> {
    const n = (i: number): number => a[i] as number;
    const denied: Answer = { errno: FsErrno.ENOTCAPABLE };
    switch (name) {
      case 'file.read':
      case 'file.pread': {
        if (!need(FsRight.READ)) return denied;
        const count = Math.min(n(0), FS_IO_MAX);
        const into = this.#blocking ? this.#readBuffer.subarray(0, count) : new Uint8Array(count);
        if (name === 'file.pread') return answer(file.pread(into, n(1)), (read) => [into.subarray(0, read)]);
        // A read at the file position is taken for a sequential reader: its next piece is fetched ahead.
        const got = answer(file.read(into), (read) => [into.subarray(0, read)]);
        return got.errno === FsErrno.OK ? { ...got, after: () => file.readAhead(count) } : got;
      }
      case 'file.write':
        return need(FsRight.WRITE) ? answer(file.write(a[0] as Uint8Array), (w) => [w]) : denied;
      case 'file.pwrite':
        return need(FsRight.WRITE) ? answer(file.pwrite(a[0] as Uint8Array, n(1)), (w) => [w]) : denied;
      case 'file.seek':
        return answer(file.seek(n(0), n(1)), (p) => [p]);
      case 'file.stat':
        return answer(file.stat(), statResults);
      case 'file.utimes':
        return need(FsRight.WRITE) ? answer(file.utimes(n(0), n(1))) : denied;
      case 'file.truncate':
        return need(FsRight.WRITE) ? answer(file.truncate(n(0))) : denied;
      case 'file.sync':
        return this.#sync();
      case 'file.digest':
        if (!need(FsRight.READ)) return denied;
        return answer(file.digest(), (d) => [encoder.encode(d ?? '')]);
      default:
        return { errno: FsErrno.ENOTSUP }; // a directory op on a File handle
    }
  }

  async #snapshots(
    name: string,
    s: (i: number) => string,
    need: (...r: Rights[]) => boolean,
  ): Promise<Answer> {
    const json = (v: unknown): WireValue[] => [new TextEncoder().encode(JSON.stringify(v))];
    const denied: Answer = { errno: FsErrno.ENOTCAPABLE };
    switch (name) {
      case 'dir.snapshot':
        return need(FsRight.WRITE) ? answer(await this.#fs.snapshot(s(0))) : denied;
      case 'dir.snapshots':
        return need(FsRight.ENUMERATE)
          ? answer(this.#fs.snapshots(), (list) =>
              json(list.map(({ name: n, time, message }) => ({ name: n, time, message }))),
            )
          : denied;
      case 'dir.diff':
        return need(FsRight.ENUMERATE) ? answer(this.#fs.diff(s(0), s(1)), json) : denied;
      case 'dir.restore': {
        if (!need(FsRight.WRITE)) return denied;
        const old = this.#fs.volume;
        const r = await this.#fs.restore(s(0));
        if (!r.ok) return failed(r.error);
        // Every handle on the root Directory (the one the server was started with, and any
        // opened as `.` from it) follows the store onto its new volume; views of other
        // directories of the old one are retired.
        for (const entry of this.#objects.values())
          if (entry.object.kind === 'dir' && entry.object.view.dir === old.root)
            entry.object = { kind: 'dir', view: this.#fs.volume.top };
        return OK;
      }
      default: {
        if (!need(FsRight.ENUMERATE)) return denied;
        const snap = this.#fs.openSnapshot(s(0));
        if (!snap.ok) return failed(snap.error);
        // Read-only, and resolving ways out as the handle it was opened from does (ADR 0031).
        const readOnly = rights(
          FsRight.READ,
          FsRight.ENUMERATE,
          need(FsRight.CHROOT) ? FsRight.CHROOT : Right.NONE,
        );
        return {
          errno: FsErrno.OK,
          give: { object: { kind: 'dir', view: snap.value.top }, rights: readOnly },
        };
      }
    }
  }

  async #sync(): Promise<Answer> {
    const r = await this.#fs.fsync();
    return r.ok ? OK : failed(r.error);
  }
}

/** Entries from `cookie` on, as many as fit FS_IO_MAX bytes of JSON, and the cookie for the rest (0: none). */
function readdirPage(list: readonly DirEntry[], cookie: number): WireValue[] {
  const page: [string, number, number][] = [];
  let bytes = 2;
  let at = cookie;
  for (; at < list.length; at++) {
    const e = list[at] as DirEntry;
    const item: [string, number, number] = [e.name, TYPES[e.type], e.ino];
    const size = encoder.encode(JSON.stringify(item)).length + 1;
    if (bytes + size > FS_IO_MAX && page.length > 0) break;
    page.push(item);
    bytes += size;
  }
  return [encoder.encode(JSON.stringify(page)), at < list.length ? at : 0];
}

/** The fs rights among `held`. */
function fsBits(held: Rights): Rights {
  return (held & rights(...Object.values(FsRight))) as Rights;
}
