// The client side of the fs protocol (src/abi/fs-protocol.ts): Directory and File
// handles as objects with POSIX-shaped async methods. Layer: workers. The fs server is
// trusted to answer in order; a reply that does not decode is an error, not a guess.
// One request is in flight per handle at a time (calls queue), so the next message on
// the channel is the reply to the request just sent. A client that keeps its handles to
// itself can have each mapped once it is in steady use (`FsClientOptions.mapChannel`,
// ADR 0024): its requests and replies then travel through the channel's rings.
import { FS_IO_MAX, FS_MAP_AFTER, FsErrno, FsOpen, fsOp, FsType } from '../abi/fs-protocol.ts';
import { err, ok, type Result } from '../abi/result.ts';
import { Status } from '../abi/status.ts';
import { decodeCompletion, encodeCall, type WireValue } from '../abi/syscall-codec.ts';
import type { Channel } from './channel.ts';

/** A failed request: the WASI errno the server answered (or EIO if the server went away). */
export type FsReply<T> = Result<T, number>;

export interface FsStat {
  readonly ino: number;
  readonly type: (typeof FsType)[keyof typeof FsType];
  readonly mode: number;
  readonly nlink: number;
  readonly size: number;
  readonly atime: number;
  readonly mtime: number;
  readonly ctime: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function toStat(r: readonly WireValue[]): FsStat {
  const [ino, type, mode, nlink, size, atime, mtime, ctime] = r as number[];
  return {
    ino: ino ?? 0,
    type: (type ?? FsType.FILE) as FsStat['type'],
    mode: mode ?? 0,
    nlink: nlink ?? 0,
    size: size ?? 0,
    atime: atime ?? 0,
    mtime: mtime ?? 0,
    ctime: ctime ?? 0,
  };
}

/** How the client makes Channels for the handles the server gives. */
export type OpenChannel = (handle: number) => Channel;

export interface FsClientOptions {
  /**
   * Maps a channel end (`DomainContext.mapChannel`). With it, a handle is mapped after
   * FS_MAP_AFTER requests, which pins it (ADR 0008): give it only where no handle this
   * client holds is ever sent, duplicated or given at spawn. A mapping the kernel refuses
   * (another handle to the end exists, too many mapped) leaves the handle as it was.
   */
  readonly mapChannel?: (handle: number) => Promise<Channel | number>;
}

/** A handle to the fs server: one channel, requests answered in order. */
class FsHandle {
  #channel: Channel;
  protected readonly options: FsClientOptions;
  #queue: Promise<unknown> = Promise.resolve();
  #nextId = 1;

  constructor(channel: Channel, options: FsClientOptions = {}) {
    this.#channel = channel;
    this.options = options;
  }

  /** The handle's channel; after a mapping, the mapped Channel on the same handle. */
  get channel(): Channel {
    return this.#channel;
  }

  /** Sends one request (moving `handles` with it) and waits for its reply: results and any handle it gave. */
  protected request(
    name: string,
    args: readonly WireValue[],
    handles: readonly number[] = [],
  ): Promise<FsReply<{ results: readonly WireValue[]; handle: number | null }>> {
    const run = async (): Promise<FsReply<{ results: readonly WireValue[]; handle: number | null }>> => {
      const def = fsOp(name);
      const id = this.#nextId++;
      if (id === FS_MAP_AFTER + 1) await this.#mapEnd();
      // One channel.call on an unmapped end: the write and the wait for the reply together.
      const reply = await this.#channel.callAsync(encodeCall(def, id, args), handles);
      if (reply.status !== Status.OK) return err(FsErrno.EIO);
      const decoded = decodeCompletion(def, reply.message.data, true); // the reply is our own copy
      if (!decoded.ok || decoded.value.tag !== id)
        throw new Error(
          `the fs server answered ${name} with a malformed reply: ${decoded.ok ? `id ${decoded.value.tag}, expected ${id}` : decoded.error}`,
        );
      const { status, results } = decoded.value;
      return status === FsErrno.OK ? ok({ results, handle: reply.message.handles[0] ?? null }) : err(status);
    };
    const result = this.#queue.then(run);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every request made so far has its reply. */
  protected settled(): Promise<unknown> {
    return this.#queue;
  }

  /** Maps the channel, between two requests (nothing of ours is in flight on it). */
  async #mapEnd(): Promise<void> {
    const map = this.options.mapChannel;
    if (!map || this.#channel.mapped) return;
    const mapped = await map(this.#channel.handle);
    if (typeof mapped !== 'number') this.#channel = mapped;
  }

  protected async call<T>(
    name: string,
    args: readonly WireValue[],
    map: (r: readonly WireValue[]) => T,
    handles: readonly number[] = [],
  ): Promise<FsReply<T>> {
    const r = await this.request(name, args, handles);
    return r.ok ? ok(map(r.value.results)) : r;
  }
}

export class FsDirectory extends FsHandle {
  readonly #open: OpenChannel;

  constructor(channel: Channel, open: OpenChannel, options: FsClientOptions = {}) {
    super(channel, options);
    this.#open = open;
  }

  stat(path: string, follow = true): Promise<FsReply<FsStat>> {
    return this.call('dir.stat', [encoder.encode(path), follow ? 1 : 0], toStat);
  }

  async open(path: string, flags: number, mode = 0o644): Promise<FsReply<FsFile>> {
    const r = await this.request('dir.open', [encoder.encode(path), flags, mode]);
    if (!r.ok) return r;
    const digest = r.value.results[0];
    return r.value.handle === null
      ? err(FsErrno.EIO)
      : ok(
          new FsFile(
            this.#open(r.value.handle),
            this.options,
            digest instanceof Uint8Array ? decoder.decode(digest) : '',
          ),
        );
  }

  async openDir(path: string): Promise<FsReply<FsDirectory>> {
    const r = await this.request('dir.open_dir', [encoder.encode(path)]);
    if (!r.ok) return r;
    return r.value.handle === null
      ? err(FsErrno.EIO)
      : ok(new FsDirectory(this.#open(r.value.handle), this.#open, this.options));
  }

  /**
   * Creates or replaces a file with `data`, as open(path, O_WRONLY | flags, mode), write
   * and close: one request (dir.write_file) when the data fits one, else those three.
   * Resolves to the bytes written; a failed open changes nothing.
   */
  async writeFile(
    path: string,
    data: Uint8Array,
    flags: number = FsOpen.CREAT | FsOpen.TRUNC,
    mode = 0o644,
  ): Promise<FsReply<number>> {
    const name = encoder.encode(path);
    if (name.byteLength + data.byteLength <= FS_IO_MAX)
      return this.call('dir.write_file', [name, flags, mode, data], ([n]) => n as number);
    const f = await this.open(path, (flags & ~FsOpen.ACCMODE) | FsOpen.WRONLY, mode);
    if (!f.ok) return f;
    try {
      return await f.value.write(data);
    } finally {
      await f.value.close();
    }
  }

  mkdir(path: string, mode = 0o755): Promise<FsReply<void>> {
    return this.call('dir.mkdir', [encoder.encode(path), mode], () => undefined);
  }

  rmdir(path: string): Promise<FsReply<void>> {
    return this.call('dir.rmdir', [encoder.encode(path)], () => undefined);
  }

  unlink(path: string): Promise<FsReply<void>> {
    return this.call('dir.unlink', [encoder.encode(path)], () => undefined);
  }

  rename(from: string, to: string): Promise<FsReply<void>> {
    return this.call('dir.rename', [encoder.encode(from), encoder.encode(to)], () => undefined);
  }

  /**
   * renameat(2): `to` names a place under `into`, a Directory handle of the same server,
   * which goes with the request (pass a duplicate to keep yours).
   */
  renameInto(from: string, into: number, to: string): Promise<FsReply<void>> {
    return this.call('dir.rename_into', [encoder.encode(from), encoder.encode(to)], () => undefined, [into]);
  }

  /** linkat(2): `path` names a place under `into`, as for renameInto. */
  linkInto(existing: string, into: number, path: string): Promise<FsReply<void>> {
    return this.call('dir.link_into', [encoder.encode(existing), encoder.encode(path)], () => undefined, [
      into,
    ]);
  }

  symlink(target: string, path: string): Promise<FsReply<void>> {
    return this.call('dir.symlink', [encoder.encode(target), encoder.encode(path)], () => undefined);
  }

  readlink(path: string): Promise<FsReply<string>> {
    return this.call('dir.readlink', [encoder.encode(path)], ([t]) => decoder.decode(t as Uint8Array));
  }

  link(existing: string, path: string): Promise<FsReply<void>> {
    return this.call('dir.link', [encoder.encode(existing), encoder.encode(path)], () => undefined);
  }

  /** Every entry, sorted; fetched a message-sized page at a time. */
  async readdir(path: string): Promise<FsReply<[name: string, type: number, ino: number][]>> {
    const all: [string, number, number][] = [];
    let cookie = 0;
    do {
      const page = await this.call('dir.readdir', [encoder.encode(path), cookie], ([json, next]) => ({
        entries: JSON.parse(decoder.decode(json as Uint8Array)) as [string, number, number][],
        next: next as number,
      }));
      if (!page.ok) return page;
      all.push(...page.value.entries);
      cookie = page.value.next;
    } while (cookie !== 0);
    return ok(all);
  }

  utimes(path: string, atime: number, mtime: number): Promise<FsReply<void>> {
    return this.call('dir.utimes', [encoder.encode(path), atime, mtime], () => undefined);
  }

  truncate(path: string, size: number): Promise<FsReply<void>> {
    return this.call('dir.truncate', [encoder.encode(path), size], () => undefined);
  }

  /** Makes every change so far durable. */
  sync(): Promise<FsReply<void>> {
    return this.call('dir.sync', [], () => undefined);
  }

  /** Names the store's current state (root Directory only). */
  snapshot(name: string): Promise<FsReply<void>> {
    return this.call('dir.snapshot', [encoder.encode(name)], () => undefined);
  }

  snapshots(): Promise<FsReply<{ name: string; time: number; message: string }[]>> {
    return this.call(
      'dir.snapshots',
      [],
      ([json]) =>
        JSON.parse(decoder.decode(json as Uint8Array)) as { name: string; time: number; message: string }[],
    );
  }

  diff(
    from: string,
    to: string,
  ): Promise<FsReply<{ added: string[]; removed: string[]; modified: string[] }>> {
    return this.call(
      'dir.diff',
      [encoder.encode(from), encoder.encode(to)],
      ([json]) =>
        JSON.parse(decoder.decode(json as Uint8Array)) as {
          added: string[];
          removed: string[];
          modified: string[];
        },
    );
  }

  /** What the store takes, what is not yet synced, and its quota, in bytes (root Directory only). */
  usage(): Promise<FsReply<{ stored: number; unsynced: number; quota: number }>> {
    return this.call('dir.usage', [], ([stored, unsynced, quota]) => ({
      stored: stored as number,
      unsynced: unsynced as number,
      quota: quota as number,
    }));
  }

  /** Makes snapshot `name` the current state, as a new commit. */
  restore(name: string): Promise<FsReply<void>> {
    return this.call('dir.restore', [encoder.encode(name)], () => undefined);
  }

  /** A read-only Directory on the snapshot as it was. */
  async openSnapshot(name: string): Promise<FsReply<FsDirectory>> {
    const r = await this.request('dir.open_snapshot', [encoder.encode(name)]);
    if (!r.ok) return r;
    return r.value.handle === null
      ? err(FsErrno.EIO)
      : ok(new FsDirectory(this.#open(r.value.handle), this.#open, this.options));
  }
}

export class FsFile extends FsHandle {
  /** The file's digest when it was opened, from dir.open's reply ('' when there was none). */
  readonly openedDigest: string;

  constructor(channel: Channel, options: FsClientOptions = {}, openedDigest = '') {
    super(channel, options);
    this.openedDigest = openedDigest;
  }

  read(count: number): Promise<FsReply<Uint8Array>> {
    return this.call('file.read', [count], ([d]) => d as Uint8Array);
  }

  /** write(2); data over FS_IO_MAX goes as several requests, and a short write ends it. */
  async write(data: Uint8Array): Promise<FsReply<number>> {
    return this.#inPieces(data, (piece) => this.call('file.write', [piece], ([n]) => n as number));
  }

  pread(count: number, pos: number): Promise<FsReply<Uint8Array>> {
    return this.call('file.pread', [count, pos], ([d]) => d as Uint8Array);
  }

  /** pwrite(2), split as write is. */
  async pwrite(data: Uint8Array, pos: number): Promise<FsReply<number>> {
    return this.#inPieces(data, (piece, done) =>
      this.call('file.pwrite', [piece, pos + done], ([n]) => n as number),
    );
  }

  async #inPieces(
    data: Uint8Array,
    send: (piece: Uint8Array, done: number) => Promise<FsReply<number>>,
  ): Promise<FsReply<number>> {
    let done = 0;
    do {
      const piece = data.subarray(done, done + FS_IO_MAX);
      const r = await send(piece, done);
      if (!r.ok) return done > 0 ? ok(done) : r;
      done += r.value;
      if (r.value < piece.length) break;
    } while (done < data.length);
    return ok(done);
  }

  seek(offset: number, whence: number): Promise<FsReply<number>> {
    return this.call('file.seek', [offset, whence], ([p]) => p as number);
  }

  stat(): Promise<FsReply<FsStat>> {
    return this.call('file.stat', [], toStat);
  }

  truncate(size: number): Promise<FsReply<void>> {
    return this.call('file.truncate', [size], () => undefined);
  }

  /** futimens(2), ms since the epoch; needs the handle's WRITE right. */
  utimes(atime: number, mtime: number): Promise<FsReply<void>> {
    return this.call('file.utimes', [atime, mtime], () => undefined);
  }

  sync(): Promise<FsReply<void>> {
    return this.call('file.sync', [], () => undefined);
  }

  /**
   * Closes the handle once the requests made so far are answered: the server lets the
   * file go (its changes stay, unsynced until a sync).
   */
  async close(): Promise<void> {
    await this.settled();
    await this.channel.closeAsync();
  }

  /** The store's name for the content as last synced; null while it has unsynced changes. */
  digest(): Promise<FsReply<string | null>> {
    return this.call('file.digest', [], ([d]) => decoder.decode(d as Uint8Array) || null);
  }
}
