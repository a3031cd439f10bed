// sh: Tessera's shell (issue 7), a TypeScript program in its own domain. It edits its
// command line itself (line-editor.ts, the pty in raw mode), parses it (syntax.ts),
// expands words (expand.ts, glob.ts) and runs each command from $PATH with only the
// handles it needs: its stdin, stdout and stderr (the pty, a pipe, or a pipe the shell
// pumps to or from a file) and, for a WASI program, the store's root preopened as `/`.
// Layer: apps. What a /bin file holds decides how it runs (ADR 0022): a WebAssembly module
// runs on the `wasi` loader; `#!tessera:utils` names the TypeScript utilities (ps, kill,
// top, snap, caps), which get what each needs beside their stdio (utils.worker.ts); any
// other text is a shell script, which this shell runs itself, in its own frame ($0, $1…,
// its own `exit`), its commands inheriting the script's stdio — so a script can stand in a
// pipeline or be redirected like any command.
//
// Initial handles: 0 the pty's byte stream, 1 the pty's control channel (pty-protocol.ts),
// 2 a Program handle on the `wasi` loader, 3 the store's root Directory, 4 a Program handle
// on `utils`, 5 an INSPECT-only Process handle on the root of the tree `ps` shows (both
// 0 when not given: those utilities then say they cannot run). While a command runs in the
// foreground the pty is cooked and the shell does not read it; Ctrl-C kills the foreground
// job (and stops the scripts running it), Ctrl-Z suspends it (process.suspend) and
// `fg`/`bg` resume it. Window size changes go to the foreground job's control channel.
import { FsErrno, FsOpen, FsType } from '../../abi/fs-protocol.ts';
import { Priority } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { decodePtyEvent, decodePtyRequest, encodePtyMessage, type PtyMode } from '../../abi/pty-protocol.ts';
import { Status, statusName } from '../../abi/status.ts';
import type { Channel } from '../../workers/channel.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsDirectory, type FsFile } from '../../workers/fs-client.ts';
import { exitStatus, spawnWasiOn } from '../../workers/wasi/spawn.ts';
import { classify, HEAD_BYTES, type LazyStub } from './bin-file.ts';
import { TTY, type Fds, type Found, type Frame, type Job, type Stage, type Stream } from './frame.ts';
import { errnoText, installLazy, readScript } from './store-files.ts';
import { expandFields, expandWordToString, type ExpandEnv } from './expand.ts';
import { absolute, expandPathname, type GlobFs } from './glob.ts';
import { LineEditor, type Completion } from './line-editor.ts';
import { parse, type Pipeline, type Program, type SimpleCommand, type Word } from './syntax.ts';

declare const self: DedicatedWorkerGlobalScope;

const RAW: PtyMode = { canonical: false, echo: false, signals: false };
const COOKED: PtyMode = { canonical: true, echo: true, signals: true };
const HISTORY_FILE = '.sh_history';
const BUILTINS = ['cd', 'pwd', 'exit', 'export', 'unset', 'alias', 'jobs', 'fg', 'bg', 'sh'] as const;
/** What a killed or interrupted command's status reads as (128 + SIGINT, as elsewhere). */
const INTERRUPTED = 130;
/**
 * Rights of the pty handles a command gets: the byte stream, and INSPECT so that it can
 * tell what its stdio is (object.info: `caps`, isatty).
 */
const STREAM_RIGHTS = rights(
  Right.READ,
  Right.WRITE,
  Right.WAIT,
  Right.INSPECT,
  Right.TRANSFER,
  Right.DUPLICATE,
);
/** How deep scripts may run scripts. */
const SCRIPT_DEPTH = 16;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

class Shell {
  readonly #ctx: DomainContext;
  readonly #tty: Channel;
  readonly #control: Channel;
  readonly #loader: number;
  readonly #root: FsDirectory;
  readonly #utils: number;
  readonly #tree: number;
  readonly #aliases = new Map<string, string>();
  readonly #jobs = new Map<number, Job>();
  /** Foreground jobs, innermost last: a script's job runs inside the job that runs the script. */
  readonly #foreground: Job[] = [];
  /** Frames running in the foreground, innermost last (Ctrl-C ends them all). */
  readonly #frames: Frame[] = [];
  #status = 0;
  #size = { cols: 80, rows: 24 };
  readonly #editor: LineEditor;
  readonly #top: Frame = {
    vars: new Map([
      ['PATH', '/bin'],
      ['HOME', '/'],
      ['PWD', '/'],
      ['PS1', '$ '],
    ]),
    exported: new Set(['PATH', 'HOME', 'PWD']),
    cwd: '/',
    positional: ['sh'],
    io: [TTY, TTY, TTY],
    foreground: true,
    depth: 0,
    exit: null,
    interrupted: false,
  };

  constructor(ctx: DomainContext) {
    this.#ctx = ctx;
    const [tty = 0, control = 0, loader = 0, root = 0, utils = 0, tree = 0] = ctx.handles;
    this.#tty = ctx.channel(tty);
    this.#control = ctx.channel(control);
    this.#loader = loader;
    this.#root = new FsDirectory(ctx.channel(root), (h) => ctx.channel(h));
    this.#utils = utils;
    this.#tree = tree;
    this.#editor = new LineEditor({
      prompt: '$ ',
      complete: (line, cursor) => this.#completions(line, cursor),
    });
  }

  async run(): Promise<number> {
    void this.#serveControl();
    await this.#loadHistory();
    const top = this.#top;
    while (top.exit === null) {
      this.#reapJobs();
      this.#refreshListings();
      const line = await this.#readLine();
      if (line === null) break;
      this.#editor.addHistory(line);
      await this.#saveHistory();
      const program = parse(this.#expandAliases(line));
      if (!program.ok) {
        await this.#say(`sh: ${program.error}\n`);
        this.#status = 2;
        continue;
      }
      top.interrupted = false;
      this.#frames.length = 0;
      this.#frames.push(top);
      await this.#runProgram(program.value, top);
    }
    return top.exit ?? this.#status;
  }

  // ---- the terminal --------------------------------------------------------------------

  async #write(bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength > 0) await this.#tty.writeAsync(bytes);
  }

  /** Text for the terminal: \n as \r\n, since the pty is raw while the shell speaks. */
  #say(text: string): Promise<void> {
    return this.#write(encoder.encode(text.replace(/\r?\n/g, '\r\n')));
  }

  /** Text to one of a builtin's fds. */
  async #emit(stream: Stream, text: string): Promise<void> {
    if (text === '') return;
    if (stream.kind === 'tty') await this.#say(text);
    else await this.#ctx.channel(stream.handle).writeAsync(encoder.encode(text));
  }

  #setMode(mode: PtyMode): Promise<unknown> {
    return this.#control.writeAsync(encodePtyMessage({ op: 'mode', mode }));
  }

  /** One command line, edited in raw mode; null at end of input. */
  async #readLine(): Promise<string | null> {
    await this.#setMode(RAW);
    const prompt = this.#top.vars.get('PS1') ?? '$ ';
    await this.#write(this.#editor.begin(prompt));
    for (;;) {
      let bytes: Uint8Array = new Uint8Array(0);
      if (!this.#editor.hasPendingInput) {
        const r = await this.#tty.readAsync();
        if (r.status !== Status.OK) return null;
        for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
        bytes = r.message.data;
        if (bytes.byteLength === 0) continue;
      }
      const { output, events } = this.#editor.feed(bytes);
      await this.#write(output);
      for (const e of events) {
        if (e.kind === 'line') return e.text;
        if (e.kind === 'eof') return null;
        if (e.kind === 'interrupt') {
          this.#status = INTERRUPTED;
          await this.#write(this.#editor.begin(prompt));
        }
      }
    }
  }

  /** Signals and size changes from the terminal, for as long as it is there. */
  async #serveControl(): Promise<void> {
    for (;;) {
      const r = await this.#control.readAsync();
      if (r.status !== Status.OK) return;
      const e = decodePtyEvent(r.message.data);
      if (!e.ok) continue;
      const job = this.#foreground.at(-1);
      if (e.value.ev === 'size') {
        this.#size = { cols: e.value.cols, rows: e.value.rows };
        this.#editor.columns = e.value.cols;
        for (const c of job?.controls ?? []) void c.writeAsync(r.message.data);
      } else if (job === undefined) {
        continue;
      } else if (e.value.signal === 'suspend') {
        // Not inside a script: the script would wait on a job nobody could resume.
        if (this.#foreground.length > 1 || job.processes.length === 0) continue;
        for (const p of job.processes) void this.#ctx.sys.processSuspendAsync(p.process);
        job.state = 'stopped';
        this.#wakeForeground?.();
      } else {
        // Interrupt and quit end every foreground job and every script running them.
        for (const f of this.#frames) f.interrupted = true;
        for (const j of this.#foreground)
          for (const p of j.processes) void this.#ctx.sys.processKillAsync(p.process);
      }
    }
  }

  #wakeForeground: (() => void) | null = null;

  // ---- running -------------------------------------------------------------------------

  async #runProgram(program: Program, frame: Frame): Promise<void> {
    const over = (): boolean => frame.exit !== null || frame.interrupted;
    for (const item of program) {
      if (over()) return;
      if (item.background) {
        if (item.andOr.rest.length > 0) {
          await this.#emit(frame.io[2], 'sh: only a single pipeline can run in the background\n');
          this.#status = 2;
          continue;
        }
        const job = await this.#start(item.andOr.first, item.text, frame, true);
        if (job !== null && frame === this.#top)
          await this.#say(`[${job.id}] ${job.processes.at(-1)?.pid ?? 0}\n`);
        this.#status = 0;
        continue;
      }
      // $? is each pipeline's status as soon as it ends: `false || echo $?` prints 1.
      this.#status = await this.#pipeline(item.andOr.first, item.text, frame);
      for (const next of item.andOr.rest) {
        if (over()) break;
        if (next.op === '&&' ? this.#status === 0 : this.#status !== 0)
          this.#status = await this.#pipeline(next.pipeline, item.text, frame);
      }
    }
  }

  #env(frame: Frame): ExpandEnv {
    return {
      get: (name) => frame.vars.get(name),
      positional: frame.positional,
      status: this.#status,
      pid: this.#ctx.pid,
    };
  }

  /** Runs a pipeline in the foreground: its status. */
  async #pipeline(p: Pipeline, text: string, frame: Frame): Promise<number> {
    const only = p.commands.length === 1 ? p.commands[0] : undefined;
    let status: number;
    const argv =
      only !== undefined && only.redirects.length === 0 ? await this.#argv(only.words, frame) : null;
    if (only !== undefined && argv !== null && argv.length === 0) status = this.#assign(only, frame);
    else if (argv !== null && isBuiltin(argv[0])) status = await this.#builtin(argv, frame.io, frame);
    else {
      const job = await this.#start(p, text, frame, false, argv);
      status = job === null ? 127 : await this.#wait(job, frame);
    }
    return p.negated ? (status === 0 ? 1 : 0) : status;
  }

  /** `a=1 b=2` alone: shell variables. */
  #assign(c: SimpleCommand, frame: Frame): number {
    for (const a of c.assignments) frame.vars.set(a.name, expandWordToString(a.value, this.#env(frame)));
    return 0;
  }

  /** A command's words expanded: parameters, field splitting, then pathnames (glob.ts). */
  async #argv(words: readonly Word[], frame: Frame): Promise<string[]> {
    const out: string[] = [];
    for (const word of words)
      for (const field of expandFields(word, this.#env(frame))) {
        const paths = field.glob === null ? [] : await expandPathname(field.glob, frame.cwd, this.#globFs);
        out.push(...(paths.length > 0 ? paths : [field.text]));
      }
    return out;
  }

  readonly #globFs: GlobFs = {
    list: async (path) => {
      const r = await this.#root.readdir(path.slice(1) || '.');
      return r.ok ? r.value.map(([name, type]) => ({ name, dir: type === FsType.DIR })) : null;
    },
  };

  /**
   * Waits for a job: its status, or 148 when the user suspended it. A job of a frame in
   * the foreground holds the terminal (cooked, its signals) while it runs.
   */
  async #wait(job: Job, frame: Frame): Promise<number> {
    if (!frame.foreground) return job.done;
    this.#foreground.push(job);
    await this.#setMode(COOKED);
    const stopped = new Promise<'stopped'>((resolve) => (this.#wakeForeground = () => resolve('stopped')));
    const outcome = await Promise.race([job.done, stopped]);
    this.#foreground.splice(this.#foreground.indexOf(job), 1);
    this.#wakeForeground = null;
    if (outcome === 'stopped') {
      await this.#say(`\n[${job.id}]+  Stopped    ${job.text}\n`);
      return 148;
    }
    this.#jobs.delete(job.id);
    return outcome;
  }

  /**
   * Starts every command of `p`, wired together; null (and the error said) when one cannot
   * start. `expanded`: the words of a lone command, when the caller expanded them already.
   */
  async #start(
    p: Pipeline,
    text: string,
    frame: Frame,
    background: boolean,
    expanded: readonly string[] | null = null,
  ): Promise<Job | null> {
    const ctx = this.#ctx;
    const opened: number[] = []; // handles to close if the pipeline cannot start
    const pumps: Promise<void>[] = [];
    const stages: Stage[] = [];
    const controls: Channel[] = [];
    const interactive = frame.foreground && !background;
    try {
      let input: Stream = background ? { kind: 'owned', handle: await this.#emptyInput() } : frame.io[0];
      for (const [i, c] of p.commands.entries()) {
        const last = i === p.commands.length - 1;
        let output = frame.io[1];
        let next: Stream = TTY;
        if (!last) {
          const [w, r] = await this.#pipe();
          output = { kind: 'owned', handle: w };
          next = { kind: 'owned', handle: r };
          opened.push(r);
        }
        const fds: Fds = [input, output, frame.io[2]];
        await this.#redirect(c, fds, pumps, frame);
        const argv =
          p.commands.length === 1 && expanded !== null ? expanded : await this.#argv(c.words, frame);
        const env = new Map(
          [...frame.exported].flatMap((k) => (frame.vars.has(k) ? [[k, frame.vars.get(k) ?? '']] : [])),
        );
        env.set('COLUMNS', String(this.#size.cols));
        env.set('LINES', String(this.#size.rows));
        for (const a of c.assignments) env.set(a.name, expandWordToString(a.value, this.#env(frame)));
        stages.push(
          await this.#stage(argv, env, fds, frame, interactive && last ? controls : null, background),
        );
        input = next;
        opened.length = 0;
        if (!last && next.kind === 'owned') opened.push(next.handle);
      }
    } catch (e) {
      for (const h of opened) void ctx.sys.handleCloseAsync(h);
      for (const s of stages) if (s.kind === 'process') void ctx.sys.processKillAsync(s.process);
      await this.#emit(frame.io[2], `sh: ${e instanceof Error ? e.message : String(e)}\n`);
      return null;
    }
    const id = Math.max(0, ...this.#jobs.keys()) + 1;
    const processes = stages.flatMap((s) => (s.kind === 'process' ? [s] : []));
    const statuses = stages.map((s) =>
      s.kind === 'task' ? s.done : exitStatus(ctx, s.process).catch(() => INTERRUPTED),
    );
    const done = Promise.all([...statuses, ...pumps]).then((all) => {
      job.state = 'done';
      for (const p of processes) void ctx.sys.handleCloseAsync(p.process);
      for (const c of controls) void ctx.sys.handleCloseAsync(c.handle);
      return (all[stages.length - 1] as number | undefined) ?? 0;
    });
    const job: Job = { id, text, processes, done, controls, state: 'running' };
    // Jobs a script runs are the script's business; only the user's own are numbered.
    if (frame === this.#top) this.#jobs.set(id, job);
    return job;
  }

  /** Applies a command's redirections to `fds`, starting the pumps file redirections need. */
  async #redirect(c: SimpleCommand, fds: Fds, pumps: Promise<void>[], frame: Frame): Promise<void> {
    for (const r of c.redirects) {
      if (r.fd > 2) throw new Error(`${r.fd}: only fds 0, 1 and 2 can be redirected`);
      const target = expandWordToString(r.target, this.#env(frame));
      const replaced = fds[r.fd];
      let stream: Stream;
      if (r.op === '>&' || r.op === '<&') {
        const from = /^[0-2]$/.test(target) ? fds[Number(target)] : undefined;
        if (from === undefined) throw new Error(`${target}: bad file descriptor`);
        if (from === replaced) continue;
        stream = from.kind === 'owned' ? { kind: 'owned', handle: await this.#dup(from.handle) } : from;
      } else {
        const file = await this.#openFile(target, r.op, frame);
        const [child, ours] = await this.#pipe();
        stream = { kind: 'owned', handle: child };
        pumps.push(r.op === '<' ? this.#feed(file, ours) : this.#collect(ours, file));
      }
      fds[r.fd] = stream;
      if (replaced?.kind === 'owned') void this.#ctx.sys.handleCloseAsync(replaced.handle);
    }
  }

  /**
   * Starts one command on `fds`: a builtin or a script in this domain, a utility or a WASI
   * program as a process. `controls` collects the control channel of a foreground utility.
   */
  async #stage(
    argv: readonly string[],
    env: ReadonlyMap<string, string>,
    fds: Fds,
    frame: Frame,
    controls: Channel[] | null,
    background: boolean,
  ): Promise<Stage> {
    const name = argv[0] ?? '';
    if (name === '') return { kind: 'task', done: this.#inProcess(fds, () => Promise.resolve(0)) };
    if (isBuiltin(name))
      return { kind: 'task', done: this.#inProcess(fds, () => this.#builtin(argv, fds, frame)) };
    const found = await this.#lookup(name, fds[2], frame);
    if (found.kind === 'script') {
      const child = { path: found.path, text: found.text, args: argv.slice(1) };
      return { kind: 'task', done: this.#inProcess(fds, () => this.#script(child, fds, frame, background)) };
    }
    const envList = [...env].map(([k, v]) => `${k}=${v}`);
    const priority = background ? Priority.BATCH : Priority.INTERACTIVE;
    if (found.kind === 'wasm') {
      let stdio: number[];
      let root: number;
      try {
        stdio = await Promise.all(fds.map((s) => this.#materialize(s)));
        root = await this.#rootHandle();
      } catch (e) {
        void this.#ctx.sys.handleCloseAsync(found.file.channel.handle);
        throw e;
      }
      const [stdin = 0, stdout = 0, stderr = 0] = stdio;
      // On failure spawnWasiOn has closed every handle it was given.
      const child = await spawnWasiOn(this.#ctx, {
        loader: this.#loader,
        module: found.file.channel.handle,
        moduleDigest: found.file.openedDigest,
        argv,
        env: envList,
        preopens: [{ path: '/', handle: root }],
        stdio: [stdin, stdout, stderr],
        priority,
      });
      return { kind: 'process', ...child };
    }
    const stdio = await Promise.all(fds.map((s) => this.#materialize(s)));
    return this.#spawnUtility(argv, envList, stdio, controls, priority);
  }

  /** Runs `work` in this domain on `fds`, then closes the fds made for it alone. */
  async #inProcess(fds: Fds, work: () => Promise<number>): Promise<number> {
    try {
      return await work();
    } catch (e) {
      await this.#emit(fds[2], `sh: ${e instanceof Error ? e.message : String(e)}\n`).catch(() => undefined);
      return 1;
    } finally {
      for (const s of fds) if (s.kind === 'owned') void this.#ctx.sys.handleCloseAsync(s.handle);
    }
  }

  /** Runs a script's text in a frame of its own, its commands on the script's fds. */
  async #script(
    script: { path: string; text: string; args: readonly string[] },
    fds: Fds,
    parent: Frame,
    background: boolean,
  ): Promise<number> {
    if (parent.depth >= SCRIPT_DEPTH) throw new Error(`${script.path}: scripts nested too deep`);
    const program = parse(script.text);
    if (!program.ok) {
      await this.#emit(fds[2], `sh: ${script.path}: ${program.error}\n`);
      return 2;
    }
    const vars = new Map(
      [...parent.exported].flatMap((k) => {
        const v = parent.vars.get(k);
        return v === undefined ? [] : [[k, v] as const];
      }),
    );
    const frame: Frame = {
      vars,
      exported: new Set(vars.keys()),
      cwd: parent.cwd,
      positional: [script.path, ...script.args],
      // Its commands share the script's fds: each gets a duplicate, the script keeps its own.
      io: fds.map((s): Stream => (s.kind === 'owned' ? { kind: 'shared', handle: s.handle } : s)) as Fds,
      foreground: parent.foreground && !background,
      depth: parent.depth + 1,
      exit: null,
      interrupted: false,
    };
    if (frame.foreground) this.#frames.push(frame);
    try {
      await this.#runProgram(program.value, frame);
    } finally {
      if (frame.foreground) this.#frames.splice(this.#frames.indexOf(frame), 1);
    }
    if (frame.interrupted) return INTERRUPTED;
    return frame.exit ?? this.#status;
  }

  /**
   * Starts a TypeScript utility (utils.worker.ts) on `stdio` with what its name says it
   * needs, and nothing more.
   */
  async #spawnUtility(
    argv: readonly string[],
    env: readonly string[],
    stdio: readonly number[],
    controls: Channel[] | null,
    priority: Priority,
  ): Promise<Stage> {
    const ctx = this.#ctx;
    const name = argv[0]?.split('/').pop() ?? '';
    const given: number[] = [...stdio];
    const close = (): void => {
      for (const h of given) if (h !== 0) void ctx.sys.handleCloseAsync(h);
    };
    try {
      if (this.#utils === 0) throw new Error(`${name}: this shell was not given the utilities`);
      // The job's control channel; with its peer closed when the job does not hold the terminal.
      const [ours, theirs] = await this.#pipe();
      given.push(theirs);
      if (controls !== null) {
        const channel = ctx.channel(ours);
        controls.push(channel);
        void this.#relayModes(channel);
        void channel.writeAsync(encodePtyMessage({ ev: 'size', ...this.#size }));
      } else void ctx.sys.handleCloseAsync(ours);
      given.push(...(await this.#utilityHandles(name)));
      const s = await ctx.sys.processSpawnAsync(
        this.#utils,
        name,
        (name === 'kill' ? this.#jobPids(argv) : argv).join('\0'),
        env.join('\0'),
        priority,
        given,
      );
      if (s.status !== Status.OK) throw new Error(`${name}: process.spawn: ${statusName(s.status)}`);
      return { kind: 'process', process: s.process ?? 0, pid: s.pid ?? 0 };
    } catch (e) {
      close();
      throw e;
    }
  }

  /** kill's operands with each %JOB replaced by the pids of its processes. */
  #jobPids(argv: readonly string[]): string[] {
    return argv.flatMap((a, i) => {
      if (i === 0 || !a.startsWith('%')) return [a];
      const job = this.#jobs.get(Number(a.slice(1)));
      if (job === undefined) throw new Error(`kill: ${a}: no such job`);
      return job.processes.map((p) => String(p.pid));
    });
  }

  /** The handles beyond stdio and control that utility `name` needs (utils.worker.ts). */
  async #utilityHandles(name: string): Promise<number[]> {
    switch (name) {
      case 'ps':
      case 'top':
        if (this.#tree === 0) throw new Error(`${name}: this shell was not given the process tree`);
        return [await this.#dup(this.#tree, rights(Right.INSPECT, Right.TRANSFER))];
      case 'snap':
        return [await this.#rootHandle()];
      case 'kill': {
        // The processes of this shell's jobs, and no others: what kill may signal.
        const out: number[] = [];
        for (const job of this.#jobs.values())
          if (job.state !== 'done')
            for (const p of job.processes)
              out.push(await this.#dup(p.process, rights(Right.MANAGE, Right.INSPECT, Right.TRANSFER)));
        return out;
      }
      default:
        return [];
    }
  }

  /** Passes a foreground utility's mode requests on to the terminal until it ends. */
  async #relayModes(channel: Channel): Promise<void> {
    for (;;) {
      const r = await channel.readAsync();
      if (r.status !== Status.OK) return;
      for (const h of r.message.handles) void this.#ctx.sys.handleCloseAsync(h);
      const m = decodePtyRequest(r.message.data);
      if (m.ok) await this.#setMode(m.value.mode);
    }
  }

  /** A stream's handle for a child: the pty's or a shared handle duplicated, or the handle itself (moved). */
  #materialize(s: Stream): Promise<number> {
    if (s.kind === 'owned') return Promise.resolve(s.handle);
    return this.#dup(s.kind === 'tty' ? this.#tty.handle : s.handle, STREAM_RIGHTS);
  }

  async #dup(handle: number, r = STREAM_RIGHTS): Promise<number> {
    const d = await this.#ctx.sys.handleDuplicateAsync(handle, r);
    if (d.status !== Status.OK) throw new Error(`handle.duplicate: ${statusName(d.status)}`);
    return d.duplicate ?? 0;
  }

  /** A pipe: [the end a writer gets, the end a reader gets]. */
  async #pipe(): Promise<[number, number]> {
    const c = await this.#ctx.sys.channelCreateAsync();
    if (c.status !== Status.OK) throw new Error(`channel.create: ${statusName(c.status)}`);
    return [c.end0 ?? 0, c.end1 ?? 0];
  }

  /** A stdin that is at end of file at once (for background jobs). */
  async #emptyInput(): Promise<number> {
    const [writer, reader] = await this.#pipe();
    await this.#ctx.sys.handleCloseAsync(writer);
    return reader;
  }

  async #rootHandle(): Promise<number> {
    const d = await this.#root.openDir('.');
    if (!d.ok) throw new Error(`cannot open the root: errno ${d.error}`);
    return d.value.channel.handle;
  }

  /** Command `name`: a path, or the first match in $PATH, and what kind of program it is. */
  async #lookup(name: string, notices: Stream, frame: Frame, installed = false): Promise<Found> {
    const paths = name.includes('/')
      ? [this.#resolve(name, frame)]
      : (frame.vars.get('PATH') ?? '')
          .split(':')
          .filter((dir) => dir !== '')
          .map((dir) => `${this.#resolve(dir, frame)}/${name}`.replace(/^\/+/, ''));
    for (const path of paths) {
      const f = await this.#root.open(path, FsOpen.RDONLY);
      if (!f.ok) {
        if (f.error === FsErrno.EISDIR && name.includes('/')) throw new Error(`${name}: Is a directory`);
        continue;
      }
      const head = await f.value.pread(HEAD_BYTES, 0);
      const kind = classify(head.ok ? head.value : new Uint8Array(0));
      if (kind.kind === 'wasm') return { kind: 'wasm', file: f.value };
      try {
        if (kind.kind === 'utils') return { kind: 'utils' };
        if (kind.kind === 'bad-stub' || (kind.kind === 'lazy' && installed))
          throw new Error(`/${path}: a stub for a program that does not decode`);
        if (kind.kind === 'lazy') {
          await this.#installLazy(path, kind.stub, notices);
          return await this.#lookup(name, notices, frame, true);
        }
        return { kind: 'script', path: `/${path}`, text: await readScript(f.value, path) };
      } finally {
        void this.#ctx.sys.handleCloseAsync(f.value.channel.handle);
      }
    }
    throw new Error(`${name}: command not found`);
  }

  /** Installs the program a lazy stub stands for, once however many ask at the same time. */
  #installLazy(path: string, stub: LazyStub, notices: Stream): Promise<void> {
    const pending = this.#installing.get(path);
    if (pending !== undefined) return pending;
    const work = (async () => {
      await this.#emit(
        notices,
        `sh: installing ${stub.name} (${(stub.size / (1 << 20)).toFixed(1)} MiB)...\n`,
      );
      await installLazy(this.#root, path, stub, (h) => void this.#ctx.sys.handleCloseAsync(h));
    })().finally(() => this.#installing.delete(path));
    this.#installing.set(path, work);
    return work;
  }

  readonly #installing = new Map<string, Promise<void>>();

  async #openFile(path: string, op: '<' | '>' | '>>', frame: Frame): Promise<FsFile> {
    const flags =
      op === '<'
        ? FsOpen.RDONLY
        : FsOpen.WRONLY | FsOpen.CREAT | (op === '>>' ? FsOpen.APPEND : FsOpen.TRUNC);
    const f = await this.#root.open(this.#resolve(path, frame), flags);
    if (!f.ok) throw new Error(`${path}: ${errnoText(f.error)}`);
    return f.value;
  }

  /** Copies `file` into the pipe end `into`, then closes both. */
  async #feed(file: FsFile, into: number): Promise<void> {
    const pipe = this.#ctx.channel(into);
    for (;;) {
      const r = await file.read(1 << 16);
      if (!r.ok || r.value.byteLength === 0) break;
      if ((await pipe.writeAsync(r.value)) !== Status.OK) break;
    }
    void this.#ctx.sys.handleCloseAsync(into);
    void this.#ctx.sys.handleCloseAsync(file.channel.handle);
  }

  /** Writes what arrives on the pipe end `from` into `file` until the writers close, then closes both. */
  async #collect(from: number, file: FsFile): Promise<void> {
    const pipe = this.#ctx.channel(from);
    for (;;) {
      const r = await pipe.readAsync();
      if (r.status !== Status.OK) break;
      if (r.message.data.byteLength > 0) await file.write(r.message.data);
    }
    await file.sync();
    void this.#ctx.sys.handleCloseAsync(from);
    void this.#ctx.sys.handleCloseAsync(file.channel.handle);
  }

  /** `path` relative to the root, without a leading slash ('' is the root). */
  #resolve(path: string, frame: Frame): string {
    return absolute(path, frame.cwd).slice(1);
  }

  /** The jobs `jobs`, `fg` and `bg` see: not the pipeline that runs them. */
  #userJobs(): Job[] {
    return [...this.#jobs.values()].filter((j) => !this.#foreground.includes(j));
  }

  #reapJobs(): void {
    for (const job of [...this.#jobs.values()])
      if (job.state === 'done' && !this.#foreground.includes(job)) {
        this.#jobs.delete(job.id);
        void this.#say(`[${job.id}]+  Done       ${job.text}\n`);
      }
  }

  // ---- builtins ------------------------------------------------------------------------

  async #builtin(argv: readonly string[], fds: Fds, frame: Frame): Promise<number> {
    const [name, ...args] = argv;
    const out = (text: string): Promise<void> => this.#emit(fds[1], text);
    const fail = async (text: string, status = 1): Promise<number> => {
      await this.#emit(fds[2], text);
      return status;
    };
    switch (name) {
      case 'cd': {
        const target = this.#resolve(args[0] ?? frame.vars.get('HOME') ?? '/', frame);
        const st = target === '' ? null : await this.#root.stat(target);
        if (st !== null && (!st.ok || st.value.type !== FsType.DIR))
          return fail(`cd: ${args[0] ?? ''}: ${st.ok ? 'Not a directory' : errnoText(st.error)}\n`);
        frame.cwd = `/${target}`;
        frame.vars.set('PWD', frame.cwd);
        return 0;
      }
      case 'pwd':
        await out(`${frame.cwd}\n`);
        return 0;
      case 'exit': {
        const code = args[0] === undefined ? this.#status : Number(args[0]);
        if (!Number.isInteger(code)) return fail(`exit: ${args[0] ?? ''}: numeric argument required\n`, 2);
        frame.exit = code & 0xff;
        return frame.exit;
      }
      case 'export':
      case 'unset':
        for (const a of args) {
          const [k = '', ...v] = a.split('=');
          if (name === 'unset') {
            frame.vars.delete(k);
            frame.exported.delete(k);
          } else {
            if (v.length > 0) frame.vars.set(k, v.join('='));
            frame.exported.add(k);
          }
        }
        if (name === 'export' && args.length === 0)
          await out([...frame.exported].map((k) => `export ${k}=${frame.vars.get(k) ?? ''}\n`).join(''));
        return 0;
      case 'alias':
        if (args.length === 0) await out([...this.#aliases].map(([k, v]) => `alias ${k}='${v}'\n`).join(''));
        for (const a of args) {
          const at = a.indexOf('=');
          if (at > 0) this.#aliases.set(a.slice(0, at), a.slice(at + 1));
        }
        return 0;
      case 'jobs':
        await out(
          this.#userJobs()
            .map(
              (j) =>
                `[${j.id}]  ${j.state === 'stopped' ? 'Stopped' : j.state === 'done' ? 'Done   ' : 'Running'}    ${j.text}\n`,
            )
            .join(''),
        );
        // A job reported done here is not reported again at the next prompt.
        for (const j of this.#userJobs()) if (j.state === 'done') this.#jobs.delete(j.id);
        return 0;
      case 'fg':
      case 'bg': {
        const job = this.#jobs.get(
          Number((args[0] ?? '').replace(/^%/, '') || Math.max(0, ...this.#userJobs().map((j) => j.id))),
        );
        if (job === undefined) return fail(`${name}: no such job\n`);
        if (job.state === 'stopped')
          for (const p of job.processes) await this.#ctx.sys.processResumeAsync(p.process);
        job.state = job.state === 'done' ? 'done' : 'running';
        await out(name === 'fg' ? `${job.text}\n` : `[${job.id}]+ ${job.text} &\n`);
        return name === 'fg' ? this.#wait(job, this.#top) : 0;
      }
      case 'sh':
        return this.#sh(args, fds, frame);
      default:
        return fail(`sh: ${name ?? ''}: not a builtin\n`, 2);
    }
  }

  /** `sh FILE [ARG…]` and `sh -c COMMANDS [NAME [ARG…]]`: a script in a frame of its own. */
  async #sh(args: readonly string[], fds: Fds, frame: Frame): Promise<number> {
    const [first, ...rest] = args;
    if (first === undefined)
      return this.#emit(fds[2], 'sh: usage: sh FILE [ARG...] | sh -c COMMANDS\n').then(() => 2);
    if (first === '-c') {
      const [text, zero = 'sh', ...more] = rest;
      if (text === undefined)
        return this.#emit(fds[2], 'sh: -c: option requires an argument\n').then(() => 2);
      return this.#script({ path: zero, text, args: more }, fds, frame, false);
    }
    const f = await this.#root.open(this.#resolve(first, frame), FsOpen.RDONLY);
    if (!f.ok) return this.#emit(fds[2], `sh: ${first}: ${errnoText(f.error)}\n`).then(() => 127);
    try {
      const text = await readScript(f.value, first);
      return await this.#script({ path: first, text, args: rest }, fds, frame, false);
    } finally {
      void this.#ctx.sys.handleCloseAsync(f.value.channel.handle);
    }
  }

  #expandAliases(line: string): string {
    const m = /^(\s*)(\S+)(.*)$/s.exec(line);
    const alias = m === null ? undefined : this.#aliases.get(m[2] ?? '');
    return m === null || alias === undefined ? line : `${m[1] ?? ''}${alias}${m[3] ?? ''}`;
  }

  // ---- history and completion ----------------------------------------------------------

  async #loadHistory(): Promise<void> {
    const f = await this.#root.open(HISTORY_FILE, FsOpen.RDONLY);
    if (!f.ok) return;
    const chunks: Uint8Array[] = [];
    for (;;) {
      const r = await f.value.read(1 << 16);
      if (!r.ok || r.value.byteLength === 0) break;
      chunks.push(r.value);
    }
    void this.#ctx.sys.handleCloseAsync(f.value.channel.handle);
    const text = chunks.map((c) => decoder.decode(c, { stream: true })).join('');
    for (const line of text.split('\n')) this.#editor.addHistory(line);
  }

  async #saveHistory(): Promise<void> {
    const f = await this.#root.open(HISTORY_FILE, FsOpen.WRONLY | FsOpen.CREAT | FsOpen.TRUNC);
    if (!f.ok) return;
    await f.value.write(encoder.encode(this.#editor.history.map((l) => `${l}\n`).join('')));
    await f.value.sync();
    void this.#ctx.sys.handleCloseAsync(f.value.channel.handle);
  }

  /** Directory listings completion reads, by root-relative path; dropped after each command. */
  readonly #listings = new Map<string, readonly (readonly [string, number, number])[]>();

  /** Lists `dir` for completion, now if it is cached, else after it loads (an empty list now). */
  #listing(dir: string): readonly (readonly [string, number, number])[] {
    const known = this.#listings.get(dir);
    if (known !== undefined) return known;
    this.#listings.set(dir, []);
    void this.#root.readdir(dir || '.').then((r) => {
      if (r.ok) this.#listings.set(dir, r.value);
    });
    return [];
  }

  /** Fresh listings of the cwd and the first $PATH directory, so the next Tab finds them. */
  #refreshListings(): void {
    this.#listings.clear();
    const top = this.#top;
    this.#listing(this.#resolve('.', top));
    this.#listing(this.#resolve(top.vars.get('PATH')?.split(':')[0] ?? '/bin', top));
  }

  /** Commands for the first word, paths for the others (from the listings cached). */
  #completions(line: string, cursor: number): Completion {
    const before = line.slice(0, cursor);
    const start = before.search(/\S*$/);
    const word = before.slice(start);
    if (before.slice(0, start).trim() === '' && !word.includes('/')) {
      const top = this.#top;
      const bin = this.#listing(this.#resolve(top.vars.get('PATH')?.split(':')[0] ?? '/bin', top));
      const names = new Set([...BUILTINS, ...bin.map(([n]) => n)]);
      return { candidates: [...names].filter((n) => n.startsWith(word)).sort(), replaceFrom: start };
    }
    const slash = word.lastIndexOf('/');
    const dir = slash === -1 ? '' : word.slice(0, slash + 1);
    const prefix = word.slice(slash + 1);
    const candidates = this.#listing(this.#resolve(dir || '.', this.#top))
      .filter(([n]) => n.startsWith(prefix) && (prefix.startsWith('.') || !n.startsWith('.')))
      .map(([n, type]) => `${dir}${n}${type === FsType.DIR ? '/' : ''}`)
      .sort();
    return { candidates, replaceFrom: start };
  }
}

const isBuiltin = (name: string | undefined): boolean => BUILTINS.some((b) => b === name);

startDomain((ctx) => new Shell(ctx).run(), self);
