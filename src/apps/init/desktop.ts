// init's desktop duties (ADR 0017): starts the compositor on the page's Display, starts
// the apps that open on the desktop, and starts the apps the user launches from it.
// Layer: apps. Every app gets its connection to the compositor as handle 0; init hands
// the other end to the compositor on the control channel with the app's pid and what the
// connection is granted (ADR 0018). The panel (taskbar, launcher, tray) alone gets the
// shell grant, and as handle 1 init's own Process handle cut down to INSPECT, so that
// its tray can read process.list for the whole tree and do nothing else to it.
import { Priority } from '../../abi/objects.ts';
import {
  LAUNCHER_APPS,
  programHandleIndex,
  SELF_PROCESS_HANDLE_INDEX,
  type BuiltinProgram,
} from '../../abi/programs.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status, statusName } from '../../abi/status.ts';
import { decodeControlMessage, encodeControlMessage, type Grant } from '../../abi/window-protocol.ts';
import type { Channel } from '../../workers/channel.ts';
import type { DomainContext } from '../../workers/domain.ts';
import type { FsDirectory } from '../../workers/fs-client.ts';

/** Apps the desktop may launch by name (bench-window: `npm run bench -- desktop`). */
export const DESKTOP_APPS: readonly BuiltinProgram[] = [
  ...LAUNCHER_APPS.map((a) => a.program),
  'bench-window',
];
/** Apps that open when the desktop starts. */
const STARTUP_APPS: readonly BuiltinProgram[] = ['panel', 'clock'];
/** What each app's connection is granted beyond opening windows; none when not listed. */
const GRANTS: Partial<Record<BuiltinProgram, readonly Grant[]>> = {
  panel: ['shell'],
  clock: ['notify', 'clipboard'],
  terminal: ['clipboard'],
};

export class Desktop {
  readonly #ctx: DomainContext;
  readonly #control: Channel;
  /** The store's root, once the fs server is up (the terminal's shell works in it). */
  readonly #root: Promise<FsDirectory>;

  private constructor(ctx: DomainContext, control: Channel, root: Promise<FsDirectory>) {
    this.#ctx = ctx;
    this.#control = control;
    this.#root = root;
  }

  /** Starts the compositor on `display` and the startup apps; resolves once they are spawned. */
  static async start(ctx: DomainContext, display: number, root: Promise<FsDirectory>): Promise<Desktop> {
    const c = await ctx.sys.channelCreateAsync();
    if (c.status !== Status.OK) throw new Error(`channel.create: ${statusName(c.status)}`);
    const program = ctx.handles[programHandleIndex('compositor', 'init')] ?? 0;
    const spawned = await ctx.sys.processSpawnAsync(program, 'compositor', '', '', Priority.REALTIME, [
      display,
      c.end1 ?? 0,
    ]);
    if (spawned.status !== Status.OK)
      throw new Error(`spawning the compositor: ${statusName(spawned.status)}`);
    void ctx.sys.handleCloseAsync(spawned.process ?? 0);
    const desktop = new Desktop(ctx, ctx.channel(c.end0 ?? 0), root);
    for (const app of STARTUP_APPS) await desktop.launch(app);
    return desktop;
  }

  /** Starts `app` with a fresh connection to the compositor. */
  async launch(app: BuiltinProgram): Promise<void> {
    const ctx = this.#ctx;
    const c = await ctx.sys.channelCreateAsync();
    if (c.status !== Status.OK) throw new Error(`channel.create: ${statusName(c.status)}`);
    const program = ctx.handles[programHandleIndex(app, 'init')] ?? 0;
    const handles = [c.end1 ?? 0];
    if (app === 'panel') {
      const self = ctx.handles[SELF_PROCESS_HANDLE_INDEX] ?? 0;
      const inspect = await ctx.sys.handleDuplicateAsync(self, rights(Right.INSPECT, Right.TRANSFER));
      if (inspect.status !== Status.OK) throw new Error(`handle.duplicate: ${statusName(inspect.status)}`);
      handles.push(inspect.duplicate ?? 0);
    }
    if (app === 'terminal') handles.push(...(await this.#terminalHandles()));
    const spawned = await ctx.sys.processSpawnAsync(program, app, '', '', Priority.INTERACTIVE, handles);
    if (spawned.status !== Status.OK) {
      void ctx.sys.handleCloseAsync(c.end0 ?? 0);
      throw new Error(`spawning ${app}: ${statusName(spawned.status)}`);
    }
    void ctx.sys.handleCloseAsync(spawned.process ?? 0);
    const s = await this.#control.writeAsync(
      encodeControlMessage({ op: 'client', pid: spawned.pid ?? 0, app, grants: GRANTS[app] ?? [] }),
      [c.end0 ?? 0],
    );
    if (s !== Status.OK) throw new Error(`introducing ${app} to the compositor: ${statusName(s)}`);
  }

  /**
   * What a terminal is given to start its shell with: Program handles on `sh` and the
   * `wasi` loader (EXECUTE and TRANSFER only), a Directory handle on the store's root, a
   * Program handle on `utils` and, for `ps` and `top`, init's Process cut down to INSPECT
   * (as the panel's is).
   */
  async #terminalHandles(): Promise<number[]> {
    const ctx = this.#ctx;
    const dup = async (h: number, r: number): Promise<number> => {
      const d = await ctx.sys.handleDuplicateAsync(h, r);
      if (d.status !== Status.OK) throw new Error(`handle.duplicate: ${statusName(d.status)}`);
      return d.duplicate ?? 0;
    };
    const program = (p: BuiltinProgram): Promise<number> =>
      dup(ctx.handles[programHandleIndex(p, 'init')] ?? 0, rights(Right.EXECUTE, Right.TRANSFER));
    const out = [await program('sh'), await program('wasi')];
    const dir = await (await this.#root).openDir('.');
    if (!dir.ok) throw new Error(`opening the store's root: errno ${dir.error}`);
    out.push(dir.value.channel.handle);
    out.push(await program('utils'));
    // DUPLICATE too: the shell gives each `ps` a copy.
    out.push(
      await dup(
        ctx.handles[SELF_PROCESS_HANDLE_INDEX] ?? 0,
        rights(Right.INSPECT, Right.TRANSFER, Right.DUPLICATE),
      ),
    );
    return out;
  }

  /** Serves the compositor's launch requests until it goes away. */
  async serve(): Promise<void> {
    for (;;) {
      const r = await this.#control.readAsync();
      if (r.status !== Status.OK) return;
      for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
      const m = decodeControlMessage(r.message.data);
      const app = m.ok && m.value.op === 'launch' ? DESKTOP_APPS.find((a) => a === m.value.app) : undefined;
      if (app === undefined) {
        this.#ctx.log(
          'warn',
          `the compositor asked for something init does not do: ${m.ok ? m.value.app : m.error}`,
        );
        continue;
      }
      await this.launch(app).catch((e: unknown) =>
        this.#ctx.log('warn', `launching ${app}: ${e instanceof Error ? e.message : String(e)}`),
      );
    }
  }
}
