// init's service on the host link (ADR 0011): the requests of host-protocol.ts, served
// with init's own handles. Layer: apps. The page is untrusted: every message is decoded
// and checked, a request names only paths inside the store's root (which the fs server
// confines), a sender that overruns its window or breaks the protocol loses that
// request (EPROTO), and no request can make init hand the page a handle.
//
// files.import extracts the tar the page streams on INPUT under a directory (created
// as needed); files.export streams a directory (of the live tree or a snapshot) as a tar
// on OUTPUT; proc.run starts a WASI command (spawn.ts) with store directories preopened,
// feeds INPUT to its stdin and streams its stdout and stderr on OUTPUT and ERROR; its
// `result` is the exit status.
import { FsErrno, FsOpen, FsType } from '../../abi/fs-protocol.ts';
import {
  decodeHostMessage,
  encodeHostMessage,
  errnoName,
  HOST_PROTOCOL,
  HostErrno,
  HostOp,
  HostStream,
  type HostMessage,
} from '../../abi/host-protocol.ts';
import { ReceiveWindow, SendWindow } from '../../abi/host-window.ts';
import { Status } from '../../abi/status.ts';
import { encodeTarHeader, normalizeTarPath, tarEnd, tarPaddingBytes, type TarHeader } from '../../abi/tar.ts';
import { TarReader } from '../../abi/tar-reader.ts';
import type { Channel } from '../../workers/channel.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { FsDirectory, FsFile, FsReply } from '../../workers/fs-client.ts';
import { LinkWriter } from './link-writer.ts';
import { closePipes, createPipes, drain, exitStatus, spawnWasi } from '../../workers/wasi/spawn.ts';

export interface HostServiceDeps {
  readonly ctx: DomainContext;
  /** init's end of the host link. */
  readonly link: Channel;
  /** The store's root Directory. */
  readonly root: FsDirectory;
  /** A Program handle on the `wasi` loader. */
  readonly loader: number;
}

/** A request's failure: a WASI errno and a sentence for people. */
class RequestError extends Error {
  constructor(
    readonly errno: number,
    message: string,
  ) {
    super(message);
  }
}

function value<T>(r: FsReply<T>, what: string): T {
  if (!r.ok) throw new RequestError(r.error, `${what}: ${errnoName(r.error)}`);
  return r.value;
}

/** What the page streams to one request: chunks in order, then the end. */
class InputStream {
  readonly #chunks: Uint8Array[] = [];
  readonly #window = new ReceiveWindow();
  #ended = false;
  #wake: (() => void) | null = null;

  /** False if the sender went past its window. */
  push(data: Uint8Array): boolean {
    if (this.#ended || !this.#window.received()) return false;
    this.#chunks.push(data);
    this.#wake?.();
    return true;
  }

  end(): void {
    this.#ended = true;
    this.#wake?.();
  }

  /** The next chunk (null at the end) and the credits to return for it. */
  async next(): Promise<{ data: Uint8Array | null; credit: number }> {
    while (this.#chunks.length === 0 && !this.#ended) await new Promise<void>((r) => (this.#wake = r));
    this.#wake = null;
    const data = this.#chunks.shift();
    return data === undefined ? { data: null, credit: 0 } : { data, credit: this.#window.consumed() };
  }
}

class Request {
  readonly input = new InputStream();
  readonly outputs = new Map<number, SendWindow>([
    [HostStream.OUTPUT, new SendWindow()],
    [HostStream.ERROR, new SendWindow()],
  ]);
  #cancelled = false;
  readonly #onCancel: (() => void)[] = [];

  constructor(
    readonly id: number,
    readonly write: (m: HostMessage) => Promise<void>,
  ) {}

  get cancelled(): boolean {
    return this.#cancelled;
  }

  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    this.input.end();
    for (const w of this.outputs.values()) w.close();
    for (const f of this.#onCancel.splice(0)) f();
  }

  onCancel(f: () => void): void {
    if (this.#cancelled) f();
    else this.#onCancel.push(f);
  }

  /** The next input chunk, or null at its end; returns credit as it goes. */
  async read(): Promise<Uint8Array | null> {
    const { data, credit } = await this.input.next();
    if (this.#cancelled) throw new RequestError(HostErrno.ECANCELED, 'cancelled');
    if (credit > 0)
      await this.write({ op: HostOp.CREDIT, id: this.id, stream: HostStream.INPUT, count: credit });
    return data;
  }

  /**
   * Sends `data` on an output stream in chunks the window allows; false once cancelled.
   * Resolves once every chunk is queued on the link (encoded, in order), not written: the
   * window bounds what is queued, and waiting for each write cost a round trip per chunk.
   */
  async send(stream: number, data: Uint8Array): Promise<boolean> {
    const window = this.outputs.get(stream);
    if (!window) return false;
    for (let at = 0; at < data.length; at += HOST_PROTOCOL.CHUNK_MAX) {
      if (!(await window.take())) return false;
      void this.write({
        op: HostOp.CHUNK,
        id: this.id,
        stream,
        data: data.subarray(at, at + HOST_PROTOCOL.CHUNK_MAX),
      });
    }
    return true;
  }

  /** Queues the stream's end after its chunks (and, for proc.run, before the result). */
  end(stream: number): void {
    if (!this.#cancelled) void this.write({ op: HostOp.END, id: this.id, stream });
  }
}

/** Collects small pieces (tar headers, padding) into chunks of up to CHUNK_MAX. */
class Batcher {
  #parts: Uint8Array[] = [];
  #size = 0;
  written = 0;

  constructor(readonly flushTo: (data: Uint8Array) => Promise<boolean>) {}

  async add(data: Uint8Array): Promise<void> {
    this.written += data.length;
    if (this.#size + data.length > HOST_PROTOCOL.CHUNK_MAX) await this.flush();
    if (data.length >= HOST_PROTOCOL.CHUNK_MAX) {
      if (!(await this.flushTo(data))) throw new RequestError(HostErrno.ECANCELED, 'cancelled');
      return;
    }
    this.#parts.push(data.slice());
    this.#size += data.length;
  }

  async flush(): Promise<void> {
    if (this.#size === 0) return;
    const out = new Uint8Array(this.#size);
    let at = 0;
    for (const p of this.#parts) {
      out.set(p, at);
      at += p.length;
    }
    this.#parts = [];
    this.#size = 0;
    if (!(await this.flushTo(out))) throw new RequestError(HostErrno.ECANCELED, 'cancelled');
  }
}

/** How a request ended: an errno, proc.run's exit status, a sentence. */
interface Outcome {
  readonly status: number;
  readonly exit: number;
  readonly detail: string;
}

const parentOf = (path: string): string => path.split('/').slice(0, -1).join('/');

export class HostService {
  readonly #deps: HostServiceDeps;
  readonly #requests = new Map<number, Request>();

  constructor(deps: HostServiceDeps) {
    this.#deps = deps;
  }

  /** Serves the link until the kernel closes it. */
  async serve(): Promise<void> {
    for (;;) {
      const r = await this.#deps.link.readAsync();
      if (r.status !== Status.OK) break;
      this.#onMessage(r.message.data);
    }
    for (const req of this.#requests.values()) req.cancel();
  }

  /** Writes in order without a round trip between them (link-writer.ts). */
  readonly #writer = new LinkWriter((data) =>
    this.#deps.ctx.sys.channelWriteAsync(this.#deps.link.handle, data, []),
  );

  #write = (m: HostMessage): Promise<void> => this.#writer.write(encodeHostMessage(m));

  #log(message: string): void {
    this.#deps.ctx.log('warn', `host link: ${message}`);
  }

  #onMessage(bytes: Uint8Array): void {
    const decoded = decodeHostMessage(bytes, 'page');
    if (!decoded.ok) {
      const { id, message } = decoded.error;
      this.#log(`refused a message: ${message}`);
      const req = id === null ? undefined : this.#requests.get(id);
      if (req) this.#fail(req, HostErrno.EPROTO, `protocol error: ${message}`);
      else if (id !== null && id !== 0)
        void this.#write({ op: HostOp.RESULT, id, status: HostErrno.EPROTO, exit: 0, detail: message });
      return;
    }
    const m = decoded.value;
    const req = this.#requests.get(m.id);
    switch (m.op) {
      case HostOp.CHUNK:
        if (!req) return this.#log(`a chunk for no live request (${m.id})`);
        if (m.stream !== HostStream.INPUT || !req.input.push(m.data))
          this.#fail(req, HostErrno.EPROTO, 'protocol error: a chunk past the window or on no input stream');
        return;
      case HostOp.END:
        if (req && m.stream === HostStream.INPUT) req.input.end();
        return;
      case HostOp.CREDIT:
        req?.outputs.get(m.stream)?.grant(m.count);
        return;
      case HostOp.CANCEL:
        req?.cancel();
        return;
      default:
        this.#start(m);
    }
  }

  #fail(req: Request, errno: number, detail: string): void {
    if (!this.#requests.has(req.id)) return;
    this.#requests.delete(req.id);
    req.cancel();
    void this.#write({ op: HostOp.RESULT, id: req.id, status: errno, exit: 0, detail });
  }

  #start(m: HostMessage): void {
    if (this.#requests.has(m.id)) {
      this.#log(`request id ${m.id} is already live`);
      return;
    }
    if (this.#requests.size >= HOST_PROTOCOL.REQUESTS) {
      void this.#write({
        op: HostOp.RESULT,
        id: m.id,
        status: HostErrno.EBUSY,
        exit: 0,
        detail: `${HOST_PROTOCOL.REQUESTS} requests are live`,
      });
      return;
    }
    const req = new Request(m.id, this.#write);
    this.#requests.set(m.id, req);
    const work =
      m.op === HostOp.FILES_IMPORT
        ? this.#import(req, m.path)
        : m.op === HostOp.FILES_EXPORT
          ? this.#export(req, m.path, m.snapshot)
          : m.op === HostOp.PROC_RUN
            ? this.#run(req, m)
            : Promise.reject(new RequestError(HostErrno.EPROTO, 'not a request'));
    void work.then(
      ({ status, exit, detail }) => this.#finish(req, status, exit, detail),
      (error: unknown) => {
        const errno = error instanceof RequestError ? error.errno : FsErrno.EIO;
        const detail = error instanceof Error ? error.message : String(error);
        if (!(error instanceof RequestError)) this.#log(`request ${m.id} failed: ${detail}`);
        this.#finish(req, req.cancelled ? HostErrno.ECANCELED : errno, 0, detail);
      },
    );
  }

  #finish(req: Request, status: number, exit: number, detail: string): void {
    if (!this.#requests.has(req.id)) return;
    this.#requests.delete(req.id);
    for (const w of req.outputs.values()) w.close();
    void this.#write({ op: HostOp.RESULT, id: req.id, status, exit, detail });
  }

  /** A store path from the page, as a relative path ('' for the root). */
  #storePath(path: string): string {
    const p = normalizeTarPath(path);
    if (!p.ok) throw new RequestError(p.error.errno, p.error.message);
    return p.value;
  }

  /** Makes every directory of `path` under `dir` (mkdir -p). */
  async #mkdirs(dir: FsDirectory, path: string): Promise<void> {
    let at = '';
    for (const part of path.split('/').filter((c) => c !== '')) {
      at = at === '' ? part : `${at}/${part}`;
      const r = await dir.mkdir(at);
      if (!r.ok && r.error !== FsErrno.EEXIST) value(r, `mkdir ${at}`);
    }
  }

  #close(handle: { channel: Channel }): void {
    void this.#deps.ctx.sys.handleCloseAsync(handle.channel.handle);
  }

  async #import(req: Request, path: string): Promise<Outcome> {
    const { root } = this.#deps;
    const base = this.#storePath(path);
    await this.#mkdirs(root, base);
    const dir = base === '' ? root : value(await root.openDir(base), `open ${base}`);
    const reader = new TarReader();
    const times: [path: string, mtime: number][] = [];
    let file: FsFile | null = null;
    let entries = 0;
    const closeFile = (): void => {
      if (file) this.#close(file);
      file = null;
    };
    try {
      for (;;) {
        const chunk = await req.read();
        if (chunk === null) break;
        const events = reader.push(chunk);
        if (!events.ok) throw new RequestError(events.error.errno, events.error.message);
        for (const e of events.value) {
          if (e.type === 'data') {
            const f = file as FsFile | null;
            if (f && value(await f.write(e.bytes), 'write') < e.bytes.length)
              throw new RequestError(FsErrno.ENOSPC, 'a short write');
            continue;
          }
          if (e.type === 'end') continue;
          closeFile();
          entries++;
          await this.#importEntry(dir, e.header, times, (f) => (file = f));
        }
      }
      const end = reader.finish();
      if (!end.ok) throw new RequestError(end.error.errno, end.error.message);
      closeFile();
      // Children change their directory's mtime, so times go on deepest first, once all exist.
      for (const [p, mtime] of times.reverse()) await dir.utimes(p, mtime, mtime);
      value(await dir.sync(), 'sync');
      return { status: FsErrno.OK, exit: 0, detail: `imported ${entries} entries into /${base}` };
    } finally {
      closeFile();
      if (dir !== root) this.#close(dir);
    }
  }

  async #importEntry(
    dir: FsDirectory,
    h: TarHeader,
    times: [string, number][],
    opened: (f: FsFile) => void,
  ): Promise<void> {
    if (h.path === '') return; // the archive's root: the target directory itself
    await this.#mkdirs(dir, parentOf(h.path));
    switch (h.kind) {
      case 'dir':
        await this.#mkdirs(dir, h.path);
        break;
      case 'file':
        opened(
          value(
            await dir.open(h.path, FsOpen.WRONLY | FsOpen.CREAT | FsOpen.TRUNC, h.mode),
            `create ${h.path}`,
          ),
        );
        break;
      case 'symlink':
      case 'hardlink': {
        const make = () =>
          h.kind === 'symlink' ? dir.symlink(h.target, h.path) : dir.link(h.target, h.path);
        let r = await make();
        if (!r.ok && r.error === FsErrno.EEXIST) {
          value(await dir.unlink(h.path), `replace ${h.path}`);
          r = await make();
        }
        value(r, `${h.kind} ${h.path}`);
        if (h.kind === 'symlink') return; // utimes follows links
        break;
      }
    }
    times.push([h.path, h.mtime]);
  }

  async #export(req: Request, path: string, snapshot: string): Promise<Outcome> {
    const { root } = this.#deps;
    const base = this.#storePath(path);
    const owned: FsDirectory[] = [];
    try {
      let top = root;
      if (snapshot !== '') {
        top = value(await root.openSnapshot(snapshot), `snapshot ${snapshot}`);
        owned.push(top);
      }
      const dir = base === '' ? top : value(await top.openDir(base), `open ${base}`);
      if (dir !== top) owned.push(dir);
      const out = new Batcher((data) => req.send(HostStream.OUTPUT, data));
      const entries = await this.#exportTree(dir, '', out);
      await out.add(tarEnd(out.written));
      await out.flush();
      req.end(HostStream.OUTPUT);
      return { status: FsErrno.OK, exit: 0, detail: `exported ${entries} entries from /${base}` };
    } finally {
      for (const d of owned) this.#close(d);
    }
  }

  async #exportTree(dir: FsDirectory, rel: string, out: Batcher): Promise<number> {
    let count = 0;
    for (const [name] of value(await dir.readdir(rel === '' ? '.' : rel), `readdir ${rel}`)) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const st = value(await dir.stat(path, false), `stat ${path}`);
      const base = { path, mode: st.mode & 0o7777, mtime: st.mtime, size: 0, target: '' };
      count++;
      if (st.type === FsType.DIR) {
        await out.add(encodeTarHeader({ ...base, kind: 'dir' }));
        count += await this.#exportTree(dir, path, out);
      } else if (st.type === FsType.SYMLINK) {
        const target = value(await dir.readlink(path), `readlink ${path}`);
        await out.add(encodeTarHeader({ ...base, kind: 'symlink', target }));
      } else {
        const f = value(await dir.open(path, FsOpen.RDONLY), `open ${path}`);
        try {
          await out.add(encodeTarHeader({ ...base, kind: 'file', size: st.size }));
          let done = 0;
          while (done < st.size) {
            const piece = value(await f.pread(st.size - done, done), `read ${path}`);
            if (piece.length === 0)
              throw new RequestError(FsErrno.EIO, `${path} shrank while it was exported`);
            await out.add(piece);
            done += piece.length;
          }
          await out.add(new Uint8Array(tarPaddingBytes(st.size)));
        } finally {
          this.#close(f);
        }
      }
    }
    return count;
  }

  async #run(req: Request, m: Extract<HostMessage, { op: typeof HostOp.PROC_RUN }>): Promise<Outcome> {
    const { ctx, root, loader } = this.#deps;
    // Closes are not waited for: this domain's calls are served in order, so each is done
    // before anything sent after it (the result included).
    const close = (handle: number): void => void ctx.sys.handleCloseAsync(handle);
    const program = this.#storePath(m.program);
    const dirs = m.preopens.map((p) => {
      const path = this.#storePath(p.path);
      if (path === '')
        throw new RequestError(FsErrno.EINVAL, 'the store root cannot be preopened; name a directory');
      return { guest: p.guest, path };
    });
    // The pipes are asked for while the module and the directories are opened.
    const pipes = createPipes(ctx);
    const [opened, ...preopens] = await this.#openAll(root, program, dirs).catch((error: unknown) => {
      void pipes.then(
        (p) => closePipes(ctx, p),
        () => undefined,
      );
      throw error;
    });
    const child = await spawnWasi(
      ctx,
      {
        loader,
        module: opened?.handle ?? 0,
        moduleDigest: opened?.digest ?? '',
        argv: m.argv,
        env: m.env,
        preopens: dirs.map((d, i) => ({ path: d.guest, handle: preopens[i] ?? 0 })),
      },
      pipes,
    );
    req.onCancel(() => void ctx.sys.processKillAsync(child.process));
    const feed = (async () => {
      let open = true;
      for (
        let data = await req.read().catch(() => null);
        data !== null;
        data = await req.read().catch(() => null)
      )
        if (open && (await child.stdin.writeAsync(data)) !== Status.OK) open = false;
      close(child.stdin.handle);
    })();
    const pump = async (pipe: Channel, stream: number): Promise<void> => {
      // A chatty child's writes go out a chunk at a time, not a host message per write.
      await drain(pipe, async (bytes) => void (await req.send(stream, bytes)), HOST_PROTOCOL.CHUNK_MAX);
      close(pipe.handle);
      req.end(stream);
    };
    // The exit status and the outputs' ends are waited for together: both follow the exit.
    const [status] = await Promise.all([
      exitStatus(ctx, child.process),
      pump(child.stdout, HostStream.OUTPUT),
      pump(child.stderr, HostStream.ERROR),
    ]);
    req.input.end();
    await feed;
    close(child.process);
    if (req.cancelled)
      return { status: HostErrno.ECANCELED, exit: 0, detail: 'cancelled; the process was killed' };
    return { status: FsErrno.OK, exit: status, detail: `exit status ${status}` };
  }

  /**
   * Opens the module and the directories to preopen, concurrently: the module's handle and
   * digest (as its open was answered), then the directories' handles. If one fails, those
   * opened are closed and its error is thrown.
   */
  async #openAll(
    root: FsDirectory,
    program: string,
    dirs: readonly { readonly path: string }[],
  ): Promise<[{ handle: number; digest: string }, ...number[]]> {
    const [file, ...opening] = await Promise.allSettled([
      root.open(program, FsOpen.RDONLY),
      ...dirs.map((d) => root.openDir(d.path)),
    ]);
    const all = [file, ...opening];
    const handles = all.flatMap((r) =>
      r?.status === 'fulfilled' && r.value.ok ? [r.value.value.channel.handle] : [],
    );
    const bad = all.findIndex((r) => r?.status === 'rejected' || !r?.value.ok);
    if (bad === -1 && file?.status === 'fulfilled' && file.value.ok) {
      const dirHandles = handles.slice(1);
      return [
        { handle: file.value.value.channel.handle, digest: file.value.value.openedDigest },
        ...dirHandles,
      ];
    }
    for (const h of handles) void this.#deps.ctx.sys.handleCloseAsync(h);
    const r = all[bad];
    if (r?.status === 'rejected') throw r.reason;
    if (r && !r.value.ok) value(r.value, `open ${bad === 0 ? program : (dirs[bad - 1]?.path ?? '')}`);
    throw new RequestError(FsErrno.EIO, 'an open failed');
  }
}
