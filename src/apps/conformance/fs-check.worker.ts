// fs-check: the fs server end to end in the browser, on real OPFS (`?init=fs-check`,
// driven by e2e/fs.spec.ts). It starts the fs program on a fresh channel, counts how
// many times it has run in a file it keeps in the store (so a reload or a browser
// restart with the same profile must show the count go up by one), exercises the POSIX
// operations, a read-only handle and a directory large enough to be sharded, and logs `RUN n`, then `PASS`/`FAIL` lines and
// `DONE passed=N failed=M`, as the kernel conformance suite does. Layer: apps.
import { FsErrno, FsOpen, FsRight } from '../../abi/fs-protocol.ts';
import { Priority } from '../../abi/objects.ts';
import { programHandleIndex } from '../../abi/programs.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status, statusName } from '../../abi/status.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsDirectory, type FsReply } from '../../workers/fs-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const O = FsOpen;

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const read = (b: Uint8Array): string => new TextDecoder().decode(b);
/** Enough for the store to keep the directory as shards (src/fs/shard.ts). */
const BIG_FILES = 1500;

function value<T>(r: FsReply<T>, what: string): T {
  if (!r.ok) throw new Error(`${what}: errno ${r.error}`);
  return r.value;
}

async function mount(ctx: DomainContext): Promise<FsDirectory> {
  const c = ctx.sys.channelCreate();
  if (c.status !== Status.OK) throw new Error(`channel.create: ${statusName(c.status)}`);
  const program = ctx.handles[programHandleIndex('fs', 'fs-check')] ?? 0;
  const spawned = ctx.sys.processSpawn(program, 'fs', '', '', Priority.INTERACTIVE, [c.end1 ?? 0]);
  if (spawned.status !== Status.OK) throw new Error(`process.spawn fs: ${statusName(spawned.status)}`);
  return new FsDirectory(ctx.channel(c.end0 ?? 0), (h) => ctx.channel(h));
}

/** Reads, increments and syncs the run counter: how many times this page has booted with this profile. */
async function countRun(root: FsDirectory): Promise<number> {
  const f = value(await root.open('runs', O.RDWR | O.CREAT), 'open runs');
  const before = Number(read(value(await f.read(32), 'read runs')) || '0');
  value(await f.truncate(0), 'truncate runs');
  value(await f.pwrite(text(String(before + 1)), 0), 'write runs');
  value(await f.sync(), 'sync');
  return before + 1;
}

async function checks(ctx: DomainContext, root: FsDirectory, run: number): Promise<[number, number]> {
  let passed = 0;
  let failed = 0;
  const check = async (name: string, body: () => Promise<void>): Promise<void> => {
    try {
      await body();
      passed++;
      ctx.log('info', `PASS ${name}`);
    } catch (error) {
      failed++;
      ctx.log('error', `FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
  const dir = `run-${Date.now()}`;
  await check('files and directories on OPFS', async () => {
    value(await root.mkdir(dir), 'mkdir');
    const f = value(await root.open(`${dir}/a`, O.WRONLY | O.CREAT | O.EXCL | O.APPEND), 'create');
    for (const part of ['one ', 'two ', 'three']) value(await f.write(text(part)), 'write');
    value(await root.rename(`${dir}/a`, `${dir}/b`), 'rename');
    value(await root.symlink('b', `${dir}/c`), 'symlink');
    const g = value(await root.open(`${dir}/c`, O.RDONLY), 'open through the symlink');
    const got = read(value(await g.read(100), 'read'));
    if (got !== 'one two three') throw new Error(`read back "${got}"`);
    const listed = value(await root.readdir(dir), 'readdir').map(([n]) => n);
    if (listed.join() !== 'b,c') throw new Error(`listed ${listed.join()}`);
  });
  await check('a read-only Directory handle cannot write', async () => {
    const ro = ctx.sys.handleDuplicate(
      root.channel.handle,
      rights(Right.READ, Right.WRITE, Right.WAIT, FsRight.READ, FsRight.ENUMERATE),
    );
    if (ro.status !== Status.OK) throw new Error(`handle.duplicate: ${statusName(ro.status)}`);
    const view = new FsDirectory(ctx.channel(ro.duplicate ?? 0), (h) => ctx.channel(h));
    const denied = await view.open(`${dir}/new`, O.WRONLY | O.CREAT);
    if (denied.ok || denied.error !== FsErrno.ENOTCAPABLE)
      throw new Error('a read-only handle created a file');
    value(await view.stat(`${dir}/b`), 'stat through the read-only handle');
  });
  await check('usage and quota: the store keeps within the browser’s estimate', async () => {
    const u = value(await root.usage(), 'usage');
    if (!(u.stored > 0 && u.quota > u.stored)) throw new Error(`stored ${u.stored} of a quota of ${u.quota}`);
  });
  await check('a Directory handle on a subdirectory cannot reach outside it', async () => {
    const sub = value(await root.openDir(dir), 'open_dir');
    const escape = await sub.open('../runs', O.RDONLY);
    if (escape.ok) throw new Error('opened ../runs from a subdirectory handle');
  });
  await check('a directory of 1 500 files (stored as shards) keeps each run’s change', async () => {
    const name = (i: number): string => `big/f${String(i).padStart(4, '0')}`;
    const listed = await root.readdir('big');
    if (!listed.ok) {
      value(await root.mkdir('big'), 'mkdir big');
      for (let i = 0; i < BIG_FILES; i++)
        value(await root.writeFile(name(i), text(`file ${i}`), O.CREAT), 'create');
    } else {
      if (listed.value.length !== BIG_FILES) throw new Error(`big/ lists ${listed.value.length} entries`);
      const last = (run - 1) % BIG_FILES;
      const f = value(await root.open(name(last), O.RDONLY), `open ${name(last)}`);
      const got = read(value(await f.read(64), 'read'));
      if (got !== `run ${run - 1}`) throw new Error(`${name(last)} holds "${got}", not "run ${run - 1}"`);
    }
    value(await root.writeFile(name(run % BIG_FILES), text(`run ${run}`), O.CREAT | O.TRUNC), 'rewrite');
    value(await root.sync(), 'sync');
  });
  return [passed, failed];
}

startDomain(async (ctx) => {
  const root = await mount(ctx);
  const run = await countRun(root);
  ctx.log('info', `RUN ${run}`);
  const [passed, failed] = await checks(ctx, root, run);
  ctx.log(failed === 0 ? 'info' : 'error', `DONE passed=${passed} failed=${failed}`);
  return undefined;
}, self);
