// The automation API: what the page exposes as `window.tessera` for tests, embedders
// and the `tessera run` driver. A contract, so it lives in the ABI; src/host
// implements it and e2e tests read it. Documented in docs/automation.md.
import type { LogLevel } from './boot.ts';

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
}
