// sh: Tessera's shell (issue 7), a TypeScript program in its own domain. It edits its
// command line itself (line-editor.ts, the pty in raw mode), parses it (syntax.ts),
// expands words (expand.ts) and runs each command as a WASI process from /bin with only
// the handles it needs: its stdin, stdout and stderr (the pty, a pipe, or a pipe the shell
// pumps to or from a file) and the store's root preopened as `/`. Layer: apps.
//
// Initial handles: 0 the pty's byte stream, 1 the pty's control channel (pty-protocol.ts),
// 2 a Program handle on the `wasi` loader, 3 the store's root Directory. While a command
// runs in the foreground the pty is cooked and the shell does not read it; Ctrl-C kills
// the foreground job, Ctrl-Z suspends it (process.suspend) and `fg`/`bg` resume it.
import { FsErrno, FsOpen, FsType } from '../../abi/fs-protocol.ts';
import { Right, rights } from '../../abi/rights.ts';
import { decodePtyEvent, encodePtyMessage, type PtyMode } from '../../abi/pty-protocol.ts';
import { Status, statusName } from '../../abi/status.ts';
import type { Channel } from '../../workers/channel.ts';
import { startDomain, type DomainContext } from '../../workers/domain.ts';
import { FsDirectory, type FsFile } from '../../workers/fs-client.ts';
import { exitStatus, spawnWasiOn } from '../../workers/wasi/spawn.ts';
import { expandWord, expandWordToString, type ExpandEnv } from './expand.ts';
import { LineEditor, type Completion } from './line-editor.ts';
import { parse, type Pipeline, type Program, type SimpleCommand } from './syntax.ts';

declare const self: DedicatedWorkerGlobalScope;

const RAW: PtyMode = { canonical: false, echo: false, signals: false };
const COOKED: PtyMode = { canonical: true, echo: true, signals: true };
const HISTORY_FILE = '.sh_history';
const BUILTINS = ['cd', 'pwd', 'exit', 'export', 'unset', 'alias', 'jobs', 'fg', 'bg', 'sh'] as const;
/** What a killed or interrupted command's status reads as (128 + SIGINT, as elsewhere). */
const INTERRUPTED = 130;
/** Rights of the pty handles a command gets: the byte stream, nothing else. */
const STREAM_RIGHTS = rights(Right.READ, Right.WRITE, Right.WAIT, Right.TRANSFER, Right.DUPLICATE);

const encoder = new TextEncoder();
const decoder = new TextDecoder();

interface Job {
  readonly id: number;
  readonly text: string;
  readonly processes: readonly { readonly process: number; readonly pid: number }[];
  /** Resolves with the last command's status once every process of the job ended. */
  readonly done: Promise<number>;
  state: 'running' | 'stopped' | 'done';
}

/** Where one of a command's fds goes before it is made a handle. */
type Stream = { readonly kind: 'tty' } | { readonly kind: 'handle'; readonly handle: number };

class Shell {
  readonly #ctx: DomainContext;
  readonly #tty: Channel;
  readonly #control: Channel;
  readonly #loader: number;
  readonly #root: FsDirectory;
  readonly #vars = new Map<string, string>([
    ['PATH', '/bin'],
    ['HOME', '/'],
    ['PWD', '/'],
    ['PS1', '$ '],
  ]);
  readonly #exported = new Set(['PATH', 'HOME', 'PWD']);
  readonly #aliases = new Map<string, string>();
  readonly #jobs = new Map<number, Job>();
  #foreground: Job | null = null;
  #status = 0;
  #cwd = '/';
  readonly #editor: LineEditor;
  #exit: number | null = null;

  constructor(ctx: DomainContext) {
    this.#ctx = ctx;
    const [tty = 0, control = 0, loader = 0, root = 0] = ctx.handles;
    this.#tty = ctx.channel(tty);
    this.#control = ctx.channel(control);
    this.#loader = loader;
    this.#root = new FsDirectory(ctx.channel(root), (h) => ctx.channel(h));
    this.#editor = new LineEditor({
      prompt: '$ ',
      complete: (line, cursor) => this.#completions(line, cursor),
    });
  }

  async run(): Promise<number> {
    void this.#serveControl();
    await this.#loadHistory();
    while (this.#exit === null) {
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
      await this.#runProgram(program.value);
    }
    return this.#exit ?? this.#status;
  }

  // ---- the terminal --------------------------------------------------------------------

  async #write(bytes: Uint8Array): Promise<void> {
    if (bytes.byteLength > 0) await this.#tty.writeAsync(bytes);
  }

  /** Text for the terminal: \n as \r\n, since the pty is raw while the shell speaks. */
  #say(text: string): Promise<void> {
    return this.#write(encoder.encode(text.replace(/\r?\n/g, '\r\n')));
  }

  #setMode(mode: PtyMode): Promise<unknown> {
    return this.#control.writeAsync(encodePtyMessage({ op: 'mode', mode }));
  }

  /** One command line, edited in raw mode; null at end of input. */
  async #readLine(): Promise<string | null> {
    await this.#setMode(RAW);
    const prompt = this.#vars.get('PS1') ?? '$ ';
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
      if (e.value.ev === 'size') this.#editor.columns = e.value.cols;
      else {
        const job = this.#foreground;
        if (job === null) continue;
        if (e.value.signal === 'suspend') {
          for (const p of job.processes) void this.#ctx.sys.processSuspendAsync(p.process);
          job.state = 'stopped';
          this.#foreground = null;
          this.#wakeForeground?.();
        } else for (const p of job.processes) void this.#ctx.sys.processKillAsync(p.process);
      }
    }
  }

  #wakeForeground: (() => void) | null = null;

  // ---- running -------------------------------------------------------------------------

  async #runProgram(program: Program): Promise<void> {
    for (const item of program) {
      if (this.#exit !== null) return;
      if (item.background) {
        if (item.andOr.rest.length > 0) {
          await this.#say('sh: only a single pipeline can run in the background\n');
          this.#status = 2;
          continue;
        }
        const job = await this.#start(item.andOr.first, item.text, true);
        if (job !== null) await this.#say(`[${job.id}] ${job.processes.at(-1)?.pid ?? 0}\n`);
        this.#status = 0;
        continue;
      }
      // $? is each pipeline's status as soon as it ends: `false || echo $?` prints 1.
      this.#status = await this.#pipeline(item.andOr.first, item.text);
      for (const next of item.andOr.rest) {
        if (this.#exit !== null) break;
        if (next.op === '&&' ? this.#status === 0 : this.#status !== 0)
          this.#status = await this.#pipeline(next.pipeline, item.text);
      }
    }
  }

  get #env(): ExpandEnv {
    return {
      get: (name) => this.#vars.get(name),
      positional: ['sh'],
      status: this.#status,
      pid: this.#ctx.pid,
    };
  }

  /** Runs a pipeline in the foreground: its status. */
  async #pipeline(p: Pipeline, text: string): Promise<number> {
    const only = p.commands.length === 1 ? p.commands[0] : undefined;
    const argv = only === undefined ? [] : only.words.flatMap((w) => expandWord(w, this.#env));
    const name = argv[0];
    let status: number;
    if (only !== undefined && name === undefined) status = this.#assign(only);
    else if (only !== undefined && isBuiltin(name)) status = await this.#builtin(argv);
    else {
      const job = await this.#start(p, text, false);
      status = job === null ? 127 : await this.#wait(job);
    }
    return p.negated ? (status === 0 ? 1 : 0) : status;
  }

  /** `a=1 b=2` alone: shell variables. */
  #assign(c: SimpleCommand): number {
    for (const a of c.assignments) this.#vars.set(a.name, expandWordToString(a.value, this.#env));
    return 0;
  }

  /** Waits for a foreground job: its status, or 148 when the user suspended it. */
  async #wait(job: Job): Promise<number> {
    this.#foreground = job;
    await this.#setMode(COOKED);
    const stopped = new Promise<'stopped'>((resolve) => (this.#wakeForeground = () => resolve('stopped')));
    const outcome = await Promise.race([job.done, stopped]);
    this.#wakeForeground = null;
    this.#foreground = null;
    if (outcome === 'stopped') {
      await this.#say(`\n[${job.id}]+  Stopped    ${job.text}\n`);
      return 148;
    }
    this.#jobs.delete(job.id);
    return outcome;
  }

  /** Starts every command of `p`, wired together; null (and the error said) when one cannot start. */
  async #start(p: Pipeline, text: string, background: boolean): Promise<Job | null> {
    const ctx = this.#ctx;
    const opened: number[] = []; // handles to close if the pipeline cannot start
    const pumps: Promise<void>[] = [];
    const processes: { process: number; pid: number }[] = [];
    try {
      let input: Stream = background ? { kind: 'handle', handle: await this.#emptyInput() } : { kind: 'tty' };
      for (const [i, c] of p.commands.entries()) {
        const last = i === p.commands.length - 1;
        let output: Stream = { kind: 'tty' };
        let next: Stream = { kind: 'tty' };
        if (!last) {
          const [w, r] = await this.#pipe();
          output = { kind: 'handle', handle: w };
          next = { kind: 'handle', handle: r };
          opened.push(r);
        }
        const fds: Stream[] = [input, output, { kind: 'tty' }];
        for (const r of c.redirects) {
          if (r.fd > 2) throw new Error(`${r.fd}: only fds 0, 1 and 2 can be redirected`);
          const target = expandWordToString(r.target, this.#env);
          const replaced = fds[r.fd];
          let stream: Stream;
          if (r.op === '>&' || r.op === '<&') {
            const from = /^[0-2]$/.test(target) ? fds[Number(target)] : undefined;
            if (from === undefined) throw new Error(`${target}: bad file descriptor`);
            if (from === replaced) continue;
            stream = from.kind === 'tty' ? from : { kind: 'handle', handle: await this.#dup(from.handle) };
          } else {
            const file = await this.#openFile(target, r.op);
            const [child, ours] = await this.#pipe();
            stream = { kind: 'handle', handle: child };
            pumps.push(r.op === '<' ? this.#feed(file, ours) : this.#collect(ours, file));
          }
          fds[r.fd] = stream;
          if (replaced?.kind === 'handle') void ctx.sys.handleCloseAsync(replaced.handle);
        }
        const argv = c.words.flatMap((w) => expandWord(w, this.#env));
        const module = await this.#lookup(argv[0] ?? '');
        const env = new Map(
          [...this.#exported].flatMap((k) => (this.#vars.has(k) ? [[k, this.#vars.get(k) ?? '']] : [])),
        );
        for (const a of c.assignments) env.set(a.name, expandWordToString(a.value, this.#env));
        const root = await this.#rootHandle();
        const stdio = (await Promise.all(fds.slice(0, 3).map((s) => this.#materialize(s)))) as [
          number,
          number,
          number,
        ];
        const child = await spawnWasiOn(ctx, {
          loader: this.#loader,
          module,
          argv,
          env: [...env].map(([k, v]) => `${k}=${v}`),
          preopens: [{ path: '/', handle: root }],
          stdio,
        });
        processes.push(child);
        input = next;
        opened.length = 0;
        if (!last && next.kind === 'handle') opened.push(next.handle);
      }
    } catch (e) {
      for (const h of opened) void ctx.sys.handleCloseAsync(h);
      for (const p of processes) void ctx.sys.processKillAsync(p.process);
      await this.#say(`sh: ${e instanceof Error ? e.message : String(e)}\n`);
      return null;
    }
    const id = Math.max(0, ...this.#jobs.keys()) + 1;
    const statuses = processes.map((p) => exitStatus(ctx, p.process).catch(() => INTERRUPTED));
    const done = Promise.all([...statuses, ...pumps]).then((all) => {
      job.state = 'done';
      for (const p of processes) void ctx.sys.handleCloseAsync(p.process);
      return (all[processes.length - 1] as number | undefined) ?? 0;
    });
    const job: Job = { id, text, processes, done, state: 'running' };
    this.#jobs.set(id, job);
    return job;
  }

  /** A stream's handle for a child: the pty's duplicated, or the handle itself (moved). */
  #materialize(s: Stream): Promise<number> {
    return s.kind === 'handle' ? Promise.resolve(s.handle) : this.#dup(this.#tty.handle, STREAM_RIGHTS);
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

  /** The module of command `name`: a path, or the first match in $PATH. */
  async #lookup(name: string): Promise<number> {
    const paths = name.includes('/')
      ? [this.#resolve(name)]
      : (this.#vars.get('PATH') ?? '')
          .split(':')
          .map((dir) => `${this.#resolve(dir)}/${name}`.replace(/^\/+/, ''));
    for (const path of paths) {
      const f = await this.#root.open(path, FsOpen.RDONLY);
      if (f.ok) return f.value.channel.handle;
    }
    throw new Error(`${name}: command not found`);
  }

  async #openFile(path: string, op: '<' | '>' | '>>'): Promise<FsFile> {
    const flags =
      op === '<'
        ? FsOpen.RDONLY
        : FsOpen.WRONLY | FsOpen.CREAT | (op === '>>' ? FsOpen.APPEND : FsOpen.TRUNC);
    const f = await this.#root.open(this.#resolve(path), flags);
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
  #resolve(path: string): string {
    const parts: string[] = [];
    for (const part of (path.startsWith('/') ? path : `${this.#cwd}/${path}`).split('/')) {
      if (part === '' || part === '.') continue;
      if (part === '..') parts.pop();
      else parts.push(part);
    }
    return parts.join('/');
  }

  #reapJobs(): void {
    for (const job of [...this.#jobs.values()])
      if (job.state === 'done' && job !== this.#foreground) {
        this.#jobs.delete(job.id);
        void this.#say(`[${job.id}]+  Done       ${job.text}\n`);
      }
  }

  // ---- builtins ------------------------------------------------------------------------

  async #builtin(argv: readonly string[]): Promise<number> {
    const [name, ...args] = argv;
    switch (name) {
      case 'cd': {
        const target = this.#resolve(args[0] ?? this.#vars.get('HOME') ?? '/');
        const st = target === '' ? null : await this.#root.stat(target);
        if (st !== null && (!st.ok || st.value.type !== FsType.DIR)) {
          await this.#say(`cd: ${args[0] ?? ''}: ${st.ok ? 'Not a directory' : errnoText(st.error)}\n`);
          return 1;
        }
        this.#cwd = `/${target}`;
        this.#vars.set('PWD', this.#cwd);
        return 0;
      }
      case 'pwd':
        await this.#say(`${this.#cwd}\n`);
        return 0;
      case 'exit':
        this.#exit = args[0] === undefined ? this.#status : Number(args[0]) & 0xff;
        return this.#exit;
      case 'export':
      case 'unset':
        for (const a of args) {
          const [k = '', ...v] = a.split('=');
          if (name === 'unset') {
            this.#vars.delete(k);
            this.#exported.delete(k);
          } else {
            if (v.length > 0) this.#vars.set(k, v.join('='));
            this.#exported.add(k);
          }
        }
        if (name === 'export' && args.length === 0)
          await this.#say(
            [...this.#exported].map((k) => `export ${k}=${this.#vars.get(k) ?? ''}\n`).join(''),
          );
        return 0;
      case 'alias':
        if (args.length === 0)
          await this.#say([...this.#aliases].map(([k, v]) => `alias ${k}='${v}'\n`).join(''));
        for (const a of args) {
          const at = a.indexOf('=');
          if (at > 0) this.#aliases.set(a.slice(0, at), a.slice(at + 1));
        }
        return 0;
      case 'jobs':
        await this.#say(
          [...this.#jobs.values()]
            .map(
              (j) =>
                `[${j.id}]  ${j.state === 'stopped' ? 'Stopped' : j.state === 'done' ? 'Done   ' : 'Running'}    ${j.text}\n`,
            )
            .join(''),
        );
        return 0;
      case 'fg':
      case 'bg': {
        const job = this.#jobs.get(Number(args[0] ?? Math.max(0, ...this.#jobs.keys())));
        if (job === undefined) {
          await this.#say(`${name}: no such job\n`);
          return 1;
        }
        if (job.state === 'stopped')
          for (const p of job.processes) await this.#ctx.sys.processResumeAsync(p.process);
        job.state = job.state === 'done' ? 'done' : 'running';
        await this.#say(name === 'fg' ? `${job.text}\n` : `[${job.id}]+ ${job.text} &\n`);
        return name === 'fg' ? this.#wait(job) : 0;
      }
      default:
        await this.#say(`sh: ${name ?? ''}: scripts are not supported yet\n`);
        return 2;
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
  readonly #listings = new Map<string, readonly (readonly [string, number])[]>();

  /** Lists `dir` for completion, now if it is cached, else after it loads (an empty list now). */
  #listing(dir: string): readonly (readonly [string, number])[] {
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
    this.#listing(this.#resolve('.'));
    this.#listing(this.#resolve(this.#vars.get('PATH')?.split(':')[0] ?? '/bin'));
  }

  /** Commands for the first word, paths for the others (from the listings cached). */
  #completions(line: string, cursor: number): Completion {
    const before = line.slice(0, cursor);
    const start = before.search(/\S*$/);
    const word = before.slice(start);
    if (before.slice(0, start).trim() === '' && !word.includes('/')) {
      const bin = this.#listing(this.#resolve(this.#vars.get('PATH')?.split(':')[0] ?? '/bin'));
      const names = new Set([...BUILTINS, ...bin.map(([n]) => n)]);
      return { candidates: [...names].filter((n) => n.startsWith(word)).sort(), replaceFrom: start };
    }
    const slash = word.lastIndexOf('/');
    const dir = slash === -1 ? '' : word.slice(0, slash + 1);
    const prefix = word.slice(slash + 1);
    const candidates = this.#listing(this.#resolve(dir || '.'))
      .filter(([n]) => n.startsWith(prefix) && (prefix.startsWith('.') || !n.startsWith('.')))
      .map(([n, type]) => `${dir}${n}${type === FsType.DIR ? '/' : ''}`)
      .sort();
    return { candidates, replaceFrom: start };
  }
}

const isBuiltin = (name: string | undefined): boolean => BUILTINS.some((b) => b === name);

const ERRNO_TEXT: Readonly<Record<number, string>> = {
  [FsErrno.ENOENT]: 'No such file or directory',
  [FsErrno.EISDIR]: 'Is a directory',
  [FsErrno.ENOTDIR]: 'Not a directory',
  [FsErrno.EACCES]: 'Permission denied',
  [FsErrno.EEXIST]: 'File exists',
};
const errnoText = (errno: number): string => ERRNO_TEXT[errno] ?? `error ${errno}`;

startDomain((ctx) => new Shell(ctx).run(), self);
