// The fs store's front: a content-addressed, copy-on-write filesystem over a Backend.
// Layer: fs (the fs server's worker will own one FileSystem over OPFS). It trusts its
// backend to keep the durability contract in backend.ts and nothing else.
//
// LAYERS, bottom up:
//   backend.ts (memory / OPFS files) → pack.ts (append-only object records) →
//   object-store.ts (index, publish through superblock.ts, pack rewrite for gc) →
//   commit.ts / load.ts (working layer ⇄ trees) → volume.ts, open-file.ts, rename.ts
//   (POSIX-shaped operations on paths under a root) → this file (fsync, snapshots, gc).
//
// LIFECYCLE. `open` mounts: reads the superblock and the refs it names, and loads HEAD's
// tree as the working volume. Operations change the volume in memory. `fsync` writes
// what changed as objects plus a new commit and refs, then publishes the superblock: the
// one commit point. A crash at any moment leaves the state of the last fsync that
// returned, or of the one in flight (docs/fs.md, "Crash safety"). HEAD is the last fsync
// and `base` the newest commit kept in history: fsync commits replace one another (their
// parent is `base`), snapshots and restores add to history. gc frees what no snapshot,
// no history and no open file can reach.
import { ok } from '../abi/result.ts';
import type { Backend } from './backend.ts';
import { utf8 } from './codec.ts';
import { settle, writeVolume } from './commit.ts';
import { type Diff, diffTrees } from './diff.ts';
import { Errno, fail, FS_LIMITS, type FsResult } from './errors.ts';
import { Kind } from './format.ts';
import { ZERO_HASH, type Hash } from './hash.ts';
import { loadVolume } from './load.ts';
import { objectHash, ObjectStore, type Usage } from './object-store.ts';
import { type Commit, decodeRefs, encodeCommit, encodeRefs, type Refs } from './objects.ts';
import { ancestry, markLive, readCommit } from './reach.ts';
import type { Volume, VolumeHooks } from './volume.ts';

export interface FileSystemOptions {
  /** Most bytes the store may take on the backend (default: no limit). */
  readonly quotaBytes?: number;
  /** Clock for timestamps and commit times, ms since the epoch (default Date.now). */
  readonly now?: () => number;
}

export interface SnapshotInfo {
  readonly name: string;
  readonly id: Hash;
  readonly time: number;
  readonly message: string;
}

export interface FsUsage extends Usage {
  /** Bytes written to files but not yet fsynced (counted against the quota too). */
  readonly dirtyBytes: number;
}

/** Room kept for the trees, commit and refs a commit writes besides file content. */
const METADATA_RESERVE = 64 * 1024;
const EMPTY_REFS: Refs = { head: ZERO_HASH, base: ZERO_HASH, snapshots: new Map() };

export class FileSystem {
  readonly #store: ObjectStore;
  readonly #now: () => number;
  #refs: Refs;
  #volume: Volume;

  private constructor(store: ObjectStore, refs: Refs, now: () => number) {
    this.#store = store;
    this.#refs = refs;
    this.#now = now;
    this.#volume = undefined as unknown as Volume; // set by #mount before open returns
  }

  static async open(backend: Backend, options: FileSystemOptions = {}): Promise<FsResult<FileSystem>> {
    try {
      const store = await ObjectStore.open(backend, options);
      if (!store.ok) return store;
      const refs = readRefs(store.value);
      if (!refs.ok) return refs;
      const fs = new FileSystem(store.value, refs.value, options.now ?? Date.now);
      const mounted = fs.#mount(refs.value.head);
      return mounted.ok ? ok(fs) : mounted;
    } catch (e) {
      return fail(Errno.EIO, `the backend failed while opening the store: ${String(e)}`);
    }
  }

  /** The working layer: every POSIX-shaped operation goes through it. */
  get volume(): Volume {
    return this.#volume;
  }

  #hooks(): VolumeHooks {
    return {
      now: this.#now,
      reserve: (delta) => {
        const u = this.#store.usage();
        if (
          delta <= 0 ||
          u.storedBytes + this.#volume.dirtyBytes + delta + METADATA_RESERVE <= u.quotaBytes
        ) {
          return ok(undefined);
        }
        return fail(
          Errno.ENOSPC,
          `the store's quota of ${u.quotaBytes} bytes would be exceeded; nothing was written`,
        );
      },
    };
  }

  #mount(head: Hash): FsResult<void> {
    const tree = head === ZERO_HASH ? ok(ZERO_HASH) : treeOf(this.#store, head);
    if (!tree.ok) return tree;
    const vol = loadVolume(this.#store, tree.value, this.#hooks(), false);
    if (!vol.ok) return vol;
    if (this.#volume !== undefined) this.#volume.retired = true;
    this.#volume = vol.value;
    return ok(undefined);
  }

  usage(): FsUsage {
    return { ...this.#store.usage(), dirtyBytes: this.#volume.dirtyBytes };
  }

  /**
   * Runs `work` with the volume busy, turning a backend exception into EIO (the store
   * then refuses further commits until reopened: object-store.ts, "Lifecycle").
   */
  async #exclusive<T>(work: () => Promise<FsResult<T>>): Promise<FsResult<T>> {
    const ready = this.#volume.mutable();
    if (!ready.ok) return ready;
    this.#volume.busy = true;
    try {
      return await work();
    } catch (e) {
      return fail(Errno.EIO, `the backend failed: ${String(e)}; reopen the store`);
    } finally {
      this.#volume.busy = false;
    }
  }

  /** Stages the volume as a commit on `parent` (or reuses HEAD if nothing changed). */
  async #stageWorking(parent: Hash, message: string): Promise<FsResult<{ id: Hash; settle: () => void }>> {
    const w = await writeVolume(this.#store, this.#volume);
    if (!w.ok) return w;
    const written = w.value;
    const done = () => settle(this.#volume, written);
    if (written.files.size === 0 && written.trees.size === 0 && this.#refs.head !== ZERO_HASH) {
      const head = readCommit(this.#store, this.#refs.head);
      if (head.ok && head.value.parent === parent) return ok({ id: this.#refs.head, settle: done });
    }
    const id = await this.#stageCommit({ tree: written.root, parent, time: this.#now(), message });
    return id.ok ? ok({ id: id.value, settle: done }) : id;
  }

  async #stageCommit(c: Commit): Promise<FsResult<Hash>> {
    const bytes = encodeCommit(c);
    const id = await objectHash(Kind.COMMIT, bytes);
    const staged = await this.#store.stage(Kind.COMMIT, id, bytes);
    return staged.ok ? ok(id) : staged;
  }

  /** Stages `refs` and publishes: the commit point. Rolls back on failure. */
  async #publish(refs: Refs, settleVolume: () => void): Promise<FsResult<void>> {
    const bytes = encodeRefs(refs);
    const id = await objectHash(Kind.REFS, bytes);
    const staged = await this.#store.stage(Kind.REFS, id, bytes);
    const published = staged.ok ? this.#store.publish(id) : staged;
    if (!published.ok) {
      this.#store.rollback();
      return published;
    }
    this.#refs = refs;
    settleVolume();
    return ok(undefined);
  }

  /** Makes every change so far durable. ENOSPC or EIO: nothing changed, on disk or here. */
  fsync(): Promise<FsResult<void>> {
    return this.#exclusive(async () => {
      const c = await this.#stageWorking(this.#refs.base, 'fsync');
      if (!c.ok) return this.#rollback(c);
      if (c.value.id === this.#refs.head) return (c.value.settle(), ok(undefined));
      return this.#publish({ ...this.#refs, head: c.value.id }, c.value.settle);
    });
  }

  #rollback<T>(r: FsResult<T>): FsResult<T> {
    this.#store.rollback();
    return r;
  }

  /** Commits the working layer and names the commit `name` (kept in history). */
  snapshot(name: string, message = `snapshot ${name}`): Promise<FsResult<SnapshotInfo>> {
    return this.#exclusive(async () => {
      const valid = checkName(name);
      if (!valid.ok) return valid;
      if (utf8(message).length > FS_LIMITS.MESSAGE_BYTES)
        return fail(Errno.EINVAL, 'the message is too long');
      if (this.#refs.snapshots.has(name)) return fail(Errno.EEXIST, `a snapshot named "${name}" exists`);
      const c = await this.#stageWorking(this.#refs.base, message);
      if (!c.ok) return this.#rollback(c);
      const id = c.value.id === this.#refs.head ? await this.#restamp(message) : ok(c.value.id);
      if (!id.ok) return this.#rollback(id);
      const snapshots = new Map(this.#refs.snapshots).set(name, id.value);
      const published = await this.#publish({ head: id.value, base: id.value, snapshots }, c.value.settle);
      return published.ok ? this.#info(name, id.value) : published;
    });
  }

  /** HEAD's tree as a new commit with `message` (a snapshot of an unchanged volume). */
  async #restamp(message: string): Promise<FsResult<Hash>> {
    const head = readCommit(this.#store, this.#refs.head);
    if (!head.ok) return head;
    return this.#stageCommit({ tree: head.value.tree, parent: this.#refs.base, time: this.#now(), message });
  }

  #info(name: string, id: Hash): FsResult<SnapshotInfo> {
    const c = readCommit(this.#store, id);
    return c.ok ? ok({ name, id, time: c.value.time, message: c.value.message }) : c;
  }

  snapshots(): FsResult<SnapshotInfo[]> {
    const out: SnapshotInfo[] = [];
    for (const [name, id] of this.#refs.snapshots) {
      const info = this.#info(name, id);
      if (!info.ok) return info;
      out.push(info.value);
    }
    return ok(out.sort((a, b) => (a.name < b.name ? -1 : 1)));
  }

  /** A read-only volume of the snapshot's tree (time travel). EROFS on every change. */
  openSnapshot(name: string): FsResult<Volume> {
    const tree = this.#snapshotTree(name);
    return tree.ok ? loadVolume(this.#store, tree.value, this.#hooks(), true) : tree;
  }

  #snapshotTree(name: string): FsResult<Hash> {
    const id = this.#refs.snapshots.get(name);
    return id === undefined ? fail(Errno.ENOENT, `no snapshot named "${name}"`) : treeOf(this.#store, id);
  }

  /** Paths added, removed and modified from snapshot `from` to snapshot `to`. */
  diff(from: string, to: string): FsResult<Diff> {
    const a = this.#snapshotTree(from);
    if (!a.ok) return a;
    const b = this.#snapshotTree(to);
    return b.ok ? diffTrees(this.#store, a.value, b.value) : b;
  }

  /**
   * Makes the snapshot's tree the working state, as a new commit whose parent is the
   * current state (committed first), so nothing is lost from history. Files open on the
   * old volume answer EBADF to changes afterwards.
   */
  restore(name: string): Promise<FsResult<void>> {
    return this.#exclusive(async () => {
      const tree = this.#snapshotTree(name);
      if (!tree.ok) return tree;
      const current = await this.#stageWorking(this.#refs.base, 'fsync');
      if (!current.ok) return this.#rollback(current);
      const message = `restore ${name}`;
      const id = await this.#stageCommit({
        tree: tree.value,
        parent: current.value.id,
        time: this.#now(),
        message,
      });
      if (!id.ok) return this.#rollback(id);
      const refs = { ...this.#refs, head: id.value, base: id.value };
      const published = await this.#publish(refs, current.value.settle);
      return published.ok ? this.#mount(id.value) : published;
    });
  }

  deleteSnapshot(name: string): Promise<FsResult<void>> {
    return this.#exclusive(async () => {
      if (!this.#refs.snapshots.has(name)) return fail(Errno.ENOENT, `no snapshot named "${name}"`);
      const snapshots = new Map(this.#refs.snapshots);
      snapshots.delete(name);
      return this.#publish({ ...this.#refs, snapshots }, () => undefined);
    });
  }

  /** HEAD and its ancestors, newest first. */
  history(): FsResult<{ id: Hash; commit: Commit }[]> {
    return ancestry(this.#store, this.#refs.head);
  }

  /**
   * Frees objects that no ref, no history and no open file reaches, by rewriting the
   * packs that hold any (object-store.ts, `rewrite`). Returns the bytes freed.
   */
  gc(): Promise<FsResult<number>> {
    return this.#exclusive(async () => {
      const refs = this.#refs;
      const roots = [refs.head, refs.base, ...refs.snapshots.values()];
      const open = [...this.#volume.openInodes].flatMap((n) =>
        n.content.kind === 'clean' ? [n.content.hash] : [],
      );
      const live = markLive(this.#store, roots, open, new Set([this.#store.refs]));
      if (!live.ok) return live;
      const dirty = new Set<number>();
      for (const [pack, objects] of this.#store.objectsByPack()) {
        if (objects.some(([hash]) => !live.value.has(hash))) dirty.add(pack);
      }
      if (dirty.size === 0) return ok(0);
      const before = this.#store.usage().storedBytes;
      const done = await this.#store.rewrite(dirty, live.value);
      return done.ok ? ok(before - this.#store.usage().storedBytes) : done;
    });
  }
}

function readRefs(store: ObjectStore): FsResult<Refs> {
  if (store.refs === ZERO_HASH) return ok(EMPTY_REFS);
  const bytes = store.get(store.refs, Kind.REFS);
  if (!bytes.ok) return bytes;
  const refs = decodeRefs(bytes.value);
  return refs === null ? fail(Errno.EIO, 'the refs object is malformed') : ok(refs);
}

function treeOf(store: ObjectStore, commit: Hash): FsResult<Hash> {
  const c = readCommit(store, commit);
  return c.ok ? ok(c.value.tree) : c;
}

function checkName(name: string): FsResult<void> {
  const bytes = utf8(name).length;
  if (
    bytes === 0 ||
    bytes > FS_LIMITS.SNAPSHOT_NAME_BYTES ||
    [...name].some((ch) => ch === '/' || ch.charCodeAt(0) < 0x20)
  ) {
    return fail(
      Errno.EINVAL,
      `snapshot names are 1–${FS_LIMITS.SNAPSHOT_NAME_BYTES} bytes, without "/" or control characters`,
    );
  }
  return ok(undefined);
}
