// fs-crash: the fs server's durability under kills, in the browser on real OPFS
// (`?init=fs-crash`, driven by e2e/fs.spec.ts). A deterministic workload of steps, each
// acknowledged once dir.sync answers (`ACK k`): step k rewrites one of SLOTS files and
// the `step` file, then syncs. The state after step k is a pure function of k, so after
// any crash the store must hold exactly the state of some step j, and j must be the last
// acknowledged step or the one in flight. The program checks that on start (`STATE j`,
// so a test can close the page at any moment and reopen it), then kills the fs worker
// at random moments ROUNDS times, checking after each restart, then runs steps until
// the page goes away. Layer: apps.
import { FsErrno, FsOpen as O } from '../../abi/fs-protocol.ts';
import { Priority, Signal } from '../../abi/objects.ts';
import { programHandleIndex } from '../../abi/programs.ts';
import { Status, statusName } from '../../abi/status.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsDirectory, type FsReply } from '../../workers/fs-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const SLOTS = 16;
const ROUNDS = 8;
const CHUNK = 64 * 1024; // a program's I/O size; the client splits it to fit a message
const DIR = 'crash';

class Failed extends Error {}

/** The bytes step k writes into its slot. */
function content(k: number): Uint8Array {
  const size = ((k * 7919) % 150_000) + 1;
  const out = new Uint8Array(size);
  for (let i = 0; i < size; i++) out[i] = (i * 31 + k * 7) & 0xff;
  return out;
}

const slotOf = (k: number): string => `f${k % SLOTS}`;

/** What the store must hold after step j: file name -> the step whose content it has. */
function expected(j: number): Map<string, number> {
  const files = new Map<string, number>();
  for (let k = Math.max(1, j - SLOTS + 1); k <= j; k++) files.set(slotOf(k), k);
  return files;
}

function value<T>(r: FsReply<T>, what: string): T {
  if (!r.ok) throw new Failed(`${what}: errno ${r.error}`);
  return r.value;
}

interface Mount {
  readonly root: FsDirectory;
  readonly process: number;
}

/** Starts the fs program; retries while the previous one's OPFS handles are still being released. */
async function mount(ctx: DomainContext): Promise<Mount> {
  const program = ctx.handles[programHandleIndex('fs', 'fs-crash')] ?? 0;
  for (let attempt = 0; ; attempt++) {
    const c = ctx.sys.channelCreate();
    if (c.status !== Status.OK) throw new Failed(`channel.create: ${statusName(c.status)}`);
    const spawned = ctx.sys.processSpawn(program, 'fs', '', '', Priority.INTERACTIVE, [c.end1 ?? 0]);
    if (spawned.status !== Status.OK) throw new Failed(`process.spawn fs: ${statusName(spawned.status)}`);
    const root = new FsDirectory(ctx.channel(c.end0 ?? 0), (h) => ctx.channel(h));
    const probe = await root.mkdir(DIR);
    if (probe.ok || probe.error === FsErrno.EEXIST) return { root, process: spawned.process ?? 0 };
    ctx.sys.handleClose(c.end0 ?? 0);
    ctx.sys.handleClose(spawned.process ?? 0);
    if (attempt === 50) throw new Failed(`the fs server did not come up: errno ${probe.error}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** The step whose state the store holds; throws if it holds no step's state. */
async function check(root: FsDirectory): Promise<number> {
  const names = value(await root.readdir(DIR), 'readdir').map(([n]) => n);
  if (names.length === 0) return 0;
  const step = value(await root.open(`${DIR}/step`, O.RDONLY), 'open step');
  const j = Number(new TextDecoder().decode(value(await step.read(32), 'read step')));
  if (!Number.isSafeInteger(j) || j < 1) throw new Failed(`step file holds "${String(j)}"`);
  const want = expected(j);
  const have = names.filter((n) => n !== 'step').sort();
  if (have.join() !== [...want.keys()].sort().join())
    throw new Failed(`after step ${j} the files are ${have.join()}, not ${[...want.keys()].sort().join()}`);
  for (const [name, k] of want) {
    const file = value(await root.open(`${DIR}/${name}`, O.RDONLY), `open ${name}`);
    const bytes = content(k);
    const got = new Uint8Array(bytes.length + 1);
    let at = 0;
    for (;;) {
      const part = value(await file.pread(CHUNK, at), `read ${name}`);
      if (part.length === 0 || at + part.length > got.length) break;
      got.set(part, at);
      at += part.length;
    }
    if (at !== bytes.length || !got.subarray(0, at).every((b, i) => b === bytes[i]))
      throw new Failed(`${name} does not hold step ${k}'s ${bytes.length} bytes (read ${at})`);
  }
  return j;
}

/** One step: rewrite a slot and the step file, then sync. Resolves once acknowledged. */
async function step(root: FsDirectory, k: number): Promise<void> {
  const file = value(await root.open(`${DIR}/${slotOf(k)}`, O.WRONLY | O.CREAT | O.TRUNC), 'open slot');
  const bytes = content(k);
  for (let at = 0; at < bytes.length; at += CHUNK)
    value(await file.write(bytes.subarray(at, at + CHUNK)), 'write');
  const marker = value(await root.open(`${DIR}/step`, O.WRONLY | O.CREAT | O.TRUNC), 'open step');
  value(await marker.write(new TextEncoder().encode(String(k))), 'write step');
  value(await root.sync(), 'sync');
}

/** Runs steps from `from` on; resolves with the last acknowledged one when a step fails (the server died). */
async function run(ctx: DomainContext, root: FsDirectory, from: number): Promise<number> {
  for (let k = from; ; k++) {
    try {
      await step(root, k);
    } catch {
      return k - 1;
    }
    ctx.log('info', `ACK ${k}`);
  }
}

startDomain(async (ctx) => {
  try {
    let { root, process } = await mount(ctx);
    let acked = await check(root);
    ctx.log('info', `STATE ${acked}`);
    for (let round = 0; round < ROUNDS; round++) {
      const running = run(ctx, root, acked + 1);
      // Kill it at a random moment: mid-write, mid-sync, or between steps.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 150));
      ok(ctx.sys.processKill(process).status, 'process.kill');
      ok(ctx.sys.objectWaitOne(process, Signal.TERMINATED, 10_000).status, 'wait for fs to end');
      ctx.sys.handleClose(process);
      const lastAck = await running;
      ({ root, process } = await mount(ctx));
      const j = await check(root);
      if (j !== lastAck && j !== lastAck + 1)
        throw new Failed(`after a kill the store holds step ${j}; the last acknowledged was ${lastAck}`);
      ctx.log('info', `KILLED at step ${lastAck + 1}: store holds step ${j}`);
      acked = j;
    }
    ctx.log('info', 'KILLS DONE');
    await run(ctx, root, acked + 1); // until the page closes
  } catch (error) {
    ctx.log('error', `FAIL ${error instanceof Error ? error.message : String(error)}`);
  }
  return undefined;
}, self);

function ok(status: number, what: string): void {
  if (status !== Status.OK) throw new Failed(`${what}: ${statusName(status)}`);
}
