// conformance: the kernel's conformance suite, run as pid 1 in a real browser
// (`?init=conformance`, driven by e2e/kernel.spec.ts). It spawns conformance-peer
// domains that play well-behaved and hostile programs, checks what the kernel does with
// each, and logs one line per check through debug.log: `PASS name` or `FAIL name: why`,
// then `DONE passed=N failed=M`. Every wait has a deadline, so a kernel bug fails a check
// instead of hanging the suite. Layer: apps.
import { ObjectType, Priority, Signal } from '../../abi/objects.ts';
import { programHandleIndex, SELF_PROCESS_HANDLE_INDEX } from '../../abi/programs.ts';
import { Status, statusName } from '../../abi/status.ts';
import { ProcessState } from '../../abi/sys.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';

declare const self: DedicatedWorkerGlobalScope;

/** Longest any one wait may take; the watchdog's report (3 s by default) is the slowest thing waited for. */
const DEADLINE_MS = 15_000;

const STATE_NAMES = Object.fromEntries(Object.entries(ProcessState).map(([k, v]) => [v, k]));

class CheckFailed extends Error {}

function must(condition: boolean, why: string): asserts condition {
  if (!condition) throw new CheckFailed(why);
}

function ok(status: number, what: string): void {
  must(status === Status.OK, `${what}: ${statusName(status)}`);
}

const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const breathe = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

class Suite {
  readonly #ctx: DomainContext;
  readonly #peer: number;
  readonly #self: number;
  passed = 0;
  failed = 0;

  constructor(ctx: DomainContext) {
    this.#ctx = ctx;
    this.#peer = ctx.handles[programHandleIndex('conformance-peer', 'conformance')] ?? 0;
    this.#self = ctx.handles[SELF_PROCESS_HANDLE_INDEX] ?? 0;
    must(
      ctx.sys.objectInfo(this.#peer).type === ObjectType.PROGRAM,
      'no Program handle for conformance-peer',
    );
    must(ctx.sys.objectInfo(this.#self).type === ObjectType.PROCESS, 'no handle to our own Process');
  }

  get sys(): DomainContext['sys'] {
    return this.#ctx.sys;
  }

  async check(name: string, body: () => void | Promise<void>): Promise<void> {
    try {
      await body();
      this.passed++;
      this.#ctx.log('info', `PASS ${name}`);
    } catch (error) {
      this.failed++;
      this.#ctx.log('error', `FAIL ${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
    await breathe();
  }

  /** Spawns conformance-peer playing `scenario` with `handles` (moved); its Process handle. */
  spawn(scenario: string, handles: number[] = [], argv: string[] = []): number {
    const r = this.sys.processSpawn(this.#peer, scenario, argv.join('\0'), '', Priority.INTERACTIVE, handles);
    ok(r.status, `process.spawn ${scenario}`);
    return r.process ?? 0;
  }

  /** Waits for a process to end; its final state and exit code. */
  ended(process: number, ms = DEADLINE_MS): { state: number; code: number } {
    const w = this.sys.objectWaitOne(process, Signal.TERMINATED, ms);
    ok(w.status, 'waiting for a process to end');
    const info = this.sys.processInfo(process);
    ok(info.status, 'process.info');
    return { state: info.state ?? -1, code: info.exit_code ?? 0 };
  }

  expectEnd(process: number, state: number, code?: number): void {
    const end = this.ended(process);
    must(
      end.state === state && (code === undefined || end.code === code),
      `ended ${STATE_NAMES[end.state]} (${end.code}), expected ${STATE_NAMES[state]}${code === undefined ? '' : ` (${code})`}`,
    );
    ok(this.sys.handleClose(process).status, 'handle.close');
  }

  channel(): [number, number] {
    const c = this.sys.channelCreate();
    ok(c.status, 'channel.create');
    return [c.end0 ?? 0, c.end1 ?? 0];
  }

  /** The rows of process.list for the whole tree. */
  processes(): { pid: number; name: string; handles: number }[] {
    const r = this.sys.processList(this.#self);
    ok(r.status, 'process.list');
    return JSON.parse(r.table ?? '[]') as { pid: number; name: string; handles: number }[];
  }

  /** Polls the audit log until an entry matches (blocking sleeps between polls). */
  awaitAudit(audit: number, matches: (e: { kind: string; pid: number; detail: string }) => boolean): void {
    const deadline = performance.now() + DEADLINE_MS;
    let after = 0;
    while (performance.now() < deadline) {
      const r = this.sys.auditRead(audit, after);
      ok(r.status, 'audit.read');
      const entries = JSON.parse(r.entries ?? '[]') as {
        seq: number;
        kind: string;
        pid: number;
        detail: string;
      }[];
      if (entries.some(matches)) return;
      after = entries.at(-1)?.seq ?? after;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
    throw new CheckFailed('no matching audit entry in time');
  }
}

async function run(ctx: DomainContext): Promise<Suite> {
  const s = new Suite(ctx);
  const { sys } = s;
  const audit = ctx.handles[0] ?? 0;
  const baseline = s.processes().find((p) => p.pid === ctx.pid)?.handles ?? -1;

  await s.check('spawn many processes and reap their exits', () => {
    const children = Array.from({ length: 40 }, (_, i) => s.spawn('exit', [], [String(i)]));
    children.forEach((child, i) => s.expectEnd(child, ProcessState.EXITED, i));
  });

  await s.check('ping-pong over a kernel channel, with a handle moved there and back', () => {
    const [mine, theirs] = s.channel();
    const echo = s.spawn('echo', [theirs]);
    const timer = sys.timerCreate().timer ?? 0;
    const koid = sys.objectInfo(timer).koid;
    for (let i = 0; i < 200; i++) {
      ok(sys.channelWrite(mine, text(`ping ${i}`), i === 0 ? [timer] : []).status, 'channel.write');
      ok(sys.objectWaitOne(mine, Signal.READABLE, DEADLINE_MS).status, 'wait for the echo');
      const r = sys.channelRead(mine);
      ok(r.status, 'channel.read');
      must(new TextDecoder().decode(r.data) === `ping ${i}`, `echo ${i} came back wrong`);
      if (i === 0) {
        must(r.handles?.length === 1, 'the timer did not come back');
        must(sys.objectInfo(r.handles?.[0] ?? 0).koid === koid, 'another object came back');
        ok(sys.handleClose(r.handles?.[0] ?? 0).status, 'handle.close');
      }
    }
    ok(sys.handleClose(mine).status, 'handle.close');
    s.expectEnd(echo, ProcessState.EXITED, 0);
  });

  await s.check('ping-pong over mapped channel rings', async () => {
    const [mine, theirs] = s.channel();
    const echo = s.spawn('ring-echo', [theirs]);
    const channel = await ctx.mapChannel(mine);
    must(typeof channel !== 'number', `channel.map: ${String(channel)}`);
    for (let i = 0; i < 2000; i++) {
      ok(channel.write(text(`ring ${i}`)), 'ring write');
      const r = channel.readWait(DEADLINE_MS);
      must(r.status === Status.OK, `ring read: ${statusName(r.status)}`);
      must(new TextDecoder().decode(r.message.data) === `ring ${i}`, `ring echo ${i} came back wrong`);
    }
    ok(sys.handleClose(mine).status, 'handle.close');
    s.expectEnd(echo, ProcessState.EXITED, 0);
  });

  await s.check('revoking a capability ends the wait in flight on it with REVOKED', () => {
    const [mine, theirs] = s.channel();
    const lent = sys.handleDuplicate(theirs, sys.objectInfo(theirs).rights ?? 0);
    ok(lent.status, 'handle.duplicate');
    const echo = s.spawn('echo', [lent.duplicate ?? 0]);
    // Let it park in object.wait_one, then revoke what it holds.
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    const revoked = sys.handleRevoke(theirs);
    ok(revoked.status, 'handle.revoke');
    must(revoked.revoked === 1, `revoked ${revoked.revoked} handles, expected 1`);
    s.expectEnd(echo, ProcessState.EXITED, 3); // echo's exit code for REVOKED
    for (const h of [mine, theirs]) ok(sys.handleClose(h).status, 'handle.close');
  });

  await s.check('a crash is reaped: CRASHED, and its peer sees PEER_CLOSED', () => {
    const [mine, theirs] = s.channel();
    const crash = s.spawn('crash', [theirs]);
    s.expectEnd(crash, ProcessState.CRASHED);
    const w = sys.objectWaitOne(mine, Signal.PEER_CLOSED, DEADLINE_MS);
    ok(w.status, 'wait for PEER_CLOSED');
    ok(sys.handleClose(mine).status, 'handle.close');
  });

  await s.check('hostile: forged and stale handle values get BAD_HANDLE, never another object', () => {
    s.expectEnd(s.spawn('forger'), ProcessState.EXITED, 0); // its exit code counts wrong answers
    const [a, b] = s.channel();
    ok(sys.handleClose(a).status, 'handle.close');
    must(sys.channelWrite(a, text('stale'), []).status === Status.BAD_HANDLE, 'a closed handle still worked');
    ok(sys.handleClose(b).status, 'handle.close');
  });

  await s.check('hostile: a malformed ring record faults the sender', () => {
    s.expectEnd(s.spawn('garbage'), ProcessState.FAULTED);
  });

  await s.check('hostile: an oversized message faults the sender', () => {
    const [mine, theirs] = s.channel();
    s.expectEnd(s.spawn('oversize', [theirs]), ProcessState.FAULTED);
    must(sys.channelRead(mine).status === Status.PEER_CLOSED, 'something of the oversized message arrived');
    ok(sys.handleClose(mine).status, 'handle.close');
  });

  await s.check('hostile: a postMessage after bootstrap faults the sender', () => {
    s.expectEnd(s.spawn('postmessage'), ProcessState.FAULTED);
  });

  await s.check('hostile: a syscall flood leaves the kernel serving others', () => {
    const flood = s.spawn('flood');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 300); // let it fill its rings
    const start = performance.now();
    for (let i = 0; i < 200; i++) ok(sys.schedYield().status, 'sched.yield');
    const ms = performance.now() - start;
    must(ms < 5_000, `200 syscalls took ${Math.round(ms)} ms during the flood`);
    ok(sys.processKill(flood).status, 'process.kill');
    s.expectEnd(flood, ProcessState.KILLED);
  });

  await s.check('hostile: a peer that never reads gets a full queue, not a blocked writer', () => {
    const [mine, theirs] = s.channel();
    const silent = s.spawn('silent', [theirs]);
    let writes = 0;
    for (; writes < 5000; writes++) {
      const status = sys.channelWrite(mine, text('unread'), []).status;
      if (status === Status.SHOULD_WAIT) break;
      ok(status, 'channel.write');
    }
    must(writes > 0 && writes < 5000, `the queue took ${writes} messages without pushing back`);
    ok(sys.processKill(silent).status, 'process.kill');
    s.expectEnd(silent, ProcessState.KILLED);
    must(
      sys.channelWrite(mine, text('x'), []).status === Status.PEER_CLOSED,
      'the dead peer still took messages',
    );
    ok(sys.handleClose(mine).status, 'handle.close');
  });

  await s.check('hostile: a domain that spins forever is reported by the watchdog and can be killed', () => {
    const spin = s.spawn('spin');
    const pid = sys.processInfo(spin).pid ?? 0;
    s.awaitAudit(audit, (e) => e.pid === pid && e.detail.startsWith('runaway'));
    ok(sys.processKill(spin).status, 'process.kill');
    s.expectEnd(spin, ProcessState.KILLED);
  });

  await s.check('nothing leaked: no process but this one, and as many handles as at the start', () => {
    const rows = s.processes();
    must(rows.length === 1, `processes left: ${rows.map((r) => `${r.name} (${r.pid})`).join(', ')}`);
    must(rows[0]?.handles === baseline, `${rows[0]?.handles} handles now, ${baseline} at the start`);
  });
  return s;
}

startDomain(async (ctx) => {
  const suite = await run(ctx);
  ctx.log(suite.failed === 0 ? 'info' : 'error', `DONE passed=${suite.passed} failed=${suite.failed}`);
  // Stays resident, like init: the page keeps its log.
  return undefined;
}, self);
