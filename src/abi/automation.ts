// The automation API: what the page exposes as `window.tessera` for tests, embedders
// and the `tessera run` driver. A contract, so it lives in the ABI; src/host
// implements it and e2e tests read it. Documented in docs/automation.md.
import type { LogLevel } from './boot.ts';
import type { DesktopPixels, DesktopShell, DesktopStats, DesktopWindow } from './display-protocol.ts';

/** A boot log line as the page shows it. */
export interface BootLogEntry {
  /** Milliseconds since the page's navigation start (the host's performance timeline). */
  readonly t: number;
  /** Who said it: "host", "kernel", or the name of the process that called debug.log. */
  readonly source: string;
  readonly level: LogLevel;
  readonly message: string;
}

/** What `tessera.ready` resolves to. */
export interface BootReport {
  /** Navigation start to init running, in ms. */
  readonly bootMs: number;
  /** init's process id. */
  readonly initPid: number;
  readonly crossOriginIsolated: boolean;
}

export interface TesseraApi {
  /** The build's version (package.json). */
  readonly version: string;
  /** Resolves once init is running; rejects with the reason if boot fails. */
  readonly ready: Promise<BootReport>;
  /** Every log line so far, ordered by time (a late line from another thread is inserted, not appended). */
  readonly bootLog: readonly BootLogEntry[];
  /**
   * Whether the browser granted persistent storage, asked for at boot so that the file
   * store is not evicted under storage pressure; false where it declined or cannot say.
   */
  readonly persistentStorage: Promise<boolean>;
  /** Host exchange with the file store. */
  readonly files: PageFilesApi;
  /** Processes started for the page. */
  readonly proc: ProcApi;
  /** The desktop; null when the page boots another init (`?init=`) and shows none. */
  readonly desktop: DesktopApi | null;
}

/** `tessera.files`: host exchange with the file store (issue 4), served by init. */
export interface FilesApi {
  /**
   * Extracts a tar archive (ustar/pax/GNU; as the system's tar writes it) under `path` of
   * the store, creating it as needed; resolves with init's summary. Names that climb out
   * with `..` or are absolute are refused, and so is a damaged archive.
   */
  import(path: string, tar: Uint8Array): Promise<string>;
  /** A tar archive of the directory `path`, as it is now or as it was at `snapshot`. */
  export(path: string, snapshot?: string): Promise<Uint8Array>;
}

/** What the page needs of a DOM File (src/abi has no DOM types). */
export interface HostFile {
  readonly name: string;
  readonly lastModified: number;
  arrayBuffer(): Promise<ArrayBuffer>;
}

/** `tessera.files` on the page: FilesApi plus the browser's own ways in and out. */
export interface PageFilesApi extends FilesApi {
  /**
   * Imports File objects (from an `<input type=file>` or a drop) under `home/`, as a drop
   * onto the page does (a dropped directory keeps its structure).
   */
  importFiles(files: Iterable<HostFile>): Promise<string>;
  /** Saves a store directory (or a snapshot of it) as a `.tar` download. */
  download(path: string, snapshot?: string): Promise<void>;
}

/** What `tessera.proc.run` starts: a WASI module in the store, as a fresh process. */
export interface RunOptions {
  /** The module's path in the store. */
  readonly program: string;
  /** argv, argv[0] included (default: the program's file name). */
  readonly argv?: readonly string[];
  /** K=V entries; default none. */
  readonly env?: readonly string[];
  /** Store directories (`path`) the program sees at `guest`. */
  readonly preopens?: readonly { readonly guest: string; readonly path: string }[];
  /** All of stdin; it ends after these bytes. */
  readonly stdin?: Uint8Array;
  /** Called with each piece of stdout as it comes; else stdout is collected. */
  readonly onStdout?: (data: Uint8Array) => void;
  readonly onStderr?: (data: Uint8Array) => void;
}

export interface RunResult {
  readonly exitCode: number;
  /** What was collected (empty where a callback took it). */
  readonly stdout: Uint8Array;
  readonly stderr: Uint8Array;
  /** From the request to the exit status, in ms. */
  readonly ms: number;
}

/** `tessera.proc`: processes started for the page, served by init. */
export interface ProcApi {
  /** Runs the command to its end; rejects (with an errno name) if it cannot be started. */
  run(options: RunOptions): Promise<RunResult>;
}

/** `tessera.desktop`: the desktop as automation drives it (issue 6; docs/automation.md). */
export interface DesktopApi {
  /** Resolves once the compositor draws, with the renderer it chose. */
  readonly ready: Promise<{ readonly renderer: 'webgpu' | 'canvas2d' }>;
  /** The windows, bottom to top: id, title, rect (CSS px), focus, owner pid, published text. */
  windows(): Promise<readonly DesktopWindow[]>;
  /** Focuses (and raises, restoring if minimized) a window; rejects for an unknown id. */
  focus(window: number): Promise<void>;
  /** RGBA8 device pixels of a window's content area, or of the whole screen for null. */
  pixels(window: number | null): Promise<DesktopPixels>;
  /**
   * Presses and releases a chord as the keyboard would, e.g. "Ctrl+Alt+ArrowLeft" or
   * "Backspace": through the same path as real keys (reserved chords reach no app).
   */
  sendKeys(chord: string): Promise<void>;
  /** Types text into the focused window, as the keyboard's text input would. */
  sendText(text: string): Promise<void>;
  /** Starts a desktop app by program name ("clock"). */
  launch(app: string): Promise<void>;
  /** Frames the compositor has drawn, and when it drew the latest (benchmarks). */
  stats(): Promise<DesktopStats>;
  /** The notifications apps posted this session, oldest first (at most the latest 50). */
  notifications(): readonly DesktopNotification[];
  /**
   * The workspace the desktop shows and the layers the shell draws (the taskbar, an open
   * launcher, toasts), for tests and tools that need the shell's geometry.
   */
  shell(): Promise<DesktopShell>;
}

export interface DesktopNotification {
  readonly app: string;
  readonly title: string;
  readonly body: string;
  /** When the host received it, ms since the epoch. */
  readonly time: number;
}
