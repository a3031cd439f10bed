// The preview-1 imports Tessera answers itself, over the shim's: the calls the shim does
// not implement (symlink, poll with many subscriptions, sockets, proc_raise, sched_yield),
// gets wrong (filestat times, UTF-8 argument sizes, lowest free fd, readlink truncation,
// fd_advise's advice unchecked), or whose shape does not fit server-backed files (rename
// and link name two paths on the server, not inodes here; across two directory fds the
// target's handle goes along). Layer: workers. Every pointer and number is the guest's.
import { WASIProcExit, wasi, type WASI } from '@bjorn3/browser_wasi_shim';
import { FsErrno } from '../../abi/fs-protocol.ts';
import { Status } from '../../abi/status.ts';
import type { Stubs } from '../stubs.ts';
import { DirFd, staysInside, SYMLINK_FOLLOW } from './dir-fd.ts';
import { TesseraFd } from './fd.ts';
import { pollOneoff } from './poll.ts';
import { writeFdstat, writeFilestat } from './stat.ts';

type Imports = Record<string, (...args: never[]) => unknown>;

/** preview 1's CHLD, CONT, URG and WINCH: their default action is to do nothing. */
const IGNORED_SIGNALS = new Set([16, 17, 22, 27]);

export interface ImportEnv {
  readonly sys: Stubs;
  blocked(wait: () => void): void;
}

/**
 * How often, at most, a clock read is also a preemption point. The kernel parks a domain
 * only at a syscall (a batch domain without a run slot, a suspended or throttled one), and
 * a clock read is served here without one, so a compute loop that only reads the clock
 * would never park: every PREEMPT_MS such a read makes a sched.yield.
 */
const PREEMPT_MS = 10;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

/** Replaces the shim's entries in `w.wasiImport` with Tessera's. */
export function installImports(w: WASI, env: ImportEnv): void {
  let lastYield = performance.now();
  const mem = (): ArrayBuffer => w.inst.exports.memory.buffer;
  const view = (): DataView => new DataView(mem());
  const str = (ptr: number, len: number): string => decoder.decode(new Uint8Array(mem(), ptr, len));
  const fd = (n: number): TesseraFd | undefined => {
    const f = w.fds[n];
    return f instanceof TesseraFd ? f : undefined;
  };
  const dir = (n: number): DirFd | number => {
    const f = w.fds[n];
    return f instanceof DirFd ? f : f === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTDIR;
  };
  const ours: Imports = {
    args_sizes_get: (argc: number, bufSize: number) => {
      const v = view();
      v.setUint32(argc, w.args.length, true);
      v.setUint32(
        bufSize,
        w.args.reduce((n, a) => n + encoder.encode(a).byteLength + 1, 0),
        true,
      );
      return wasi.ERRNO_SUCCESS;
    },
    fd_advise: (n: number, _offset: bigint, _len: bigint, advice: number) => {
      const f = fd(n);
      if (!f) return wasi.ERRNO_BADF;
      // An advice value preview 1 does not define is EINVAL, as posix_fadvise(2) says; a
      // known one is only a hint, and the fs server has nothing to do with it.
      if (!Number.isInteger(advice) || advice < wasi.ADVICE_NORMAL || advice > wasi.ADVICE_NOREUSE)
        return wasi.ERRNO_INVAL;
      return f.need(wasi.RIGHTS_FD_ADVISE);
    },
    fd_fdstat_get: (n: number, ptr: number) => {
      const f = fd(n);
      if (!f) return wasi.ERRNO_BADF;
      writeFdstat(view(), ptr, f.fdstat());
      return wasi.ERRNO_SUCCESS;
    },
    fd_filestat_get: (n: number, ptr: number) => {
      const f = fd(n);
      if (!f) return wasi.ERRNO_BADF;
      const s = f.filestat();
      if ('stat' in s) writeFilestat(view(), ptr, s.stat);
      return s.errno;
    },
    path_filestat_get: (n: number, flags: number, p: number, len: number, ptr: number) => {
      const d = dir(n);
      if (typeof d === 'number') return d;
      if (d.need(wasi.RIGHTS_PATH_FILESTAT_GET) !== wasi.ERRNO_SUCCESS) return wasi.ERRNO_NOTCAPABLE;
      const s = d.pathStat(str(p, len), (flags & SYMLINK_FOLLOW) !== 0);
      if ('stat' in s) writeFilestat(view(), ptr, s.stat);
      return s.errno;
    },
    path_open: (
      n: number,
      dirflags: number,
      p: number,
      len: number,
      oflags: number,
      base: bigint,
      inh: bigint,
      fdflags: number,
      out: number,
    ) => {
      const d = dir(n);
      if (typeof d === 'number') return d;
      const { ret, fd_obj } = d.path_open(dirflags, str(p, len), oflags, base, inh, fdflags);
      if (ret !== wasi.ERRNO_SUCCESS || !fd_obj) return ret;
      let slot = 3;
      while (w.fds[slot] !== undefined) slot++;
      w.fds[slot] = fd_obj;
      view().setUint32(out, slot, true);
      return wasi.ERRNO_SUCCESS;
    },
    path_rename: (from: number, op: number, ol: number, to: number, np: number, nl: number) =>
      twoPaths(
        from,
        to,
        str(op, ol),
        str(np, nl),
        wasi.RIGHTS_PATH_RENAME_SOURCE,
        wasi.RIGHTS_PATH_RENAME_TARGET,
        'dir.rename',
      ),
    path_link: (from: number, _flags: number, op: number, ol: number, to: number, np: number, nl: number) =>
      twoPaths(
        from,
        to,
        str(op, ol),
        str(np, nl),
        wasi.RIGHTS_PATH_LINK_SOURCE,
        wasi.RIGHTS_PATH_LINK_TARGET,
        'dir.link',
      ),
    path_symlink: (tp: number, tl: number, n: number, p: number, len: number) => {
      const d = dir(n);
      return typeof d === 'number' ? d : d.symlink(str(tp, tl), str(p, len));
    },
    path_readlink: (n: number, p: number, len: number, buf: number, bufLen: number, nread: number) => {
      const d = dir(n);
      if (typeof d === 'number') return d;
      const { ret, data } = d.path_readlink(str(p, len));
      if (ret !== wasi.ERRNO_SUCCESS || data === null) return ret;
      const bytes = encoder.encode(data).subarray(0, bufLen); // readlink(2) truncates
      new Uint8Array(mem()).set(bytes, buf);
      view().setUint32(nread, bytes.byteLength, true);
      return wasi.ERRNO_SUCCESS;
    },
    poll_oneoff: (inPtr: number, outPtr: number, nsubs: number, nevents: number) =>
      pollOneoff({ sys: env.sys, fd, blocked: env.blocked }, mem, inPtr, outPtr, nsubs, nevents),
    proc_raise: (sig: number) => {
      // preview 1 numbers signals 0 (none) to 30 (SYS). Signal 0 only checks; CHLD, CONT,
      // URG and WINCH are ignored by default; every other signal ends the program, as its
      // default action would.
      if (sig === 0 || IGNORED_SIGNALS.has(sig)) return wasi.ERRNO_SUCCESS;
      if (!Number.isInteger(sig) || sig < 0 || sig > 30) return wasi.ERRNO_INVAL;
      throw new WASIProcExit(128 + sig);
    },
    sched_yield: () => {
      env.sys.schedYield();
      return wasi.ERRNO_SUCCESS;
    },
    clock_res_get: (id: number, ptr: number) => {
      if (!CLOCKS.has(id)) return wasi.ERRNO_INVAL;
      view().setBigUint64(ptr, 1000n, true); // performance.now() is µs-granular in isolated pages
      return wasi.ERRNO_SUCCESS;
    },
    clock_time_get: (id: number, _precision: bigint, ptr: number) => {
      if (!CLOCKS.has(id)) return wasi.ERRNO_INVAL;
      if (performance.now() - lastYield >= PREEMPT_MS) {
        env.sys.schedYield();
        lastYield = performance.now();
      }
      const ms =
        id === wasi.CLOCKID_REALTIME ? performance.timeOrigin + performance.now() : performance.now();
      view().setBigUint64(ptr, BigInt(Math.round(ms * 1e6)), true);
      return wasi.ERRNO_SUCCESS;
    },
    sock_accept: (n: number) => notSocket(n),
    sock_recv: (n: number) => notSocket(n),
    sock_send: (n: number) => notSocket(n),
    sock_shutdown: (n: number) => notSocket(n),
  };
  const notSocket = (n: number): number => (w.fds[n] === undefined ? wasi.ERRNO_BADF : wasi.ERRNO_NOTSOCK);
  const twoPaths = (
    from: number,
    to: number,
    a: string,
    b: string,
    srcRight: number,
    dstRight: number,
    op: string,
  ): number => {
    const src = dir(from);
    const dst = dir(to);
    if (typeof src === 'number') return src;
    if (typeof dst === 'number') return dst;
    if (src.need(srcRight) !== wasi.ERRNO_SUCCESS || dst.need(dstRight) !== wasi.ERRNO_SUCCESS)
      return wasi.ERRNO_NOTCAPABLE;
    if (!staysInside(a) || !staysInside(b)) return wasi.ERRNO_NOTCAPABLE;
    if (src.dir === dst.dir) return src.dir.call(op, [a, b]).errno;
    // Across two directory fds, the target directory goes with the request (dir.rename_into,
    // dir.link_into) as a duplicate of its handle, with the rights it holds.
    const target = dst.dir.channel.handle;
    const info = env.sys.objectInfo(target);
    if (info.status !== Status.OK) return wasi.ERRNO_XDEV;
    const dup = env.sys.handleDuplicate(target, info.rights ?? 0);
    const moved = dup.duplicate;
    if (dup.status !== Status.OK || moved === undefined) return wasi.ERRNO_XDEV;
    const errno = src.dir.call(`${op}_into`, [a, b], [moved]).errno;
    // A request that did not go leaves the duplicate here.
    if (errno === FsErrno.EIO) env.sys.handleClose(moved);
    return errno;
  };
  Object.assign(w.wasiImport, ours);
}

/** Clocks offered: both process and thread CPU time read the monotonic clock (one thread). */
const CLOCKS = new Set([
  wasi.CLOCKID_REALTIME,
  wasi.CLOCKID_MONOTONIC,
  wasi.CLOCKID_PROCESS_CPUTIME_ID,
  wasi.CLOCKID_THREAD_CPUTIME_ID,
]);
