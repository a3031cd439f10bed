// The pty's control channel (ADR 0021): what a terminal and the shell it started say
// beside the byte stream. The terminal owns the pty's line discipline; the shell sets its
// mode (raw while the shell edits its own command line, cooked while a program runs in the
// foreground) and hears the signals the user types and the window's size. Layer: abi.
// Messages are JSON text in channel messages; each side drops what does not decode.
import { err, ok, type Result } from './result.ts';
import { utf8Decode, utf8Encode } from './utf8.ts';

export interface PtyMode {
  /** ICANON: lines are edited in the terminal and handed over whole. */
  readonly canonical: boolean;
  readonly echo: boolean;
  /** ISIG: Ctrl-C, Ctrl-Z and Ctrl-\ become signals instead of bytes. */
  readonly signals: boolean;
}

export type PtySignalName = 'interrupt' | 'suspend' | 'quit';

/** The shell to the terminal. */
export type PtyRequest = { readonly op: 'mode'; readonly mode: PtyMode };

/** The terminal to the shell. */
export type PtyEvent =
  | { readonly ev: 'signal'; readonly signal: PtySignalName }
  | { readonly ev: 'size'; readonly cols: number; readonly rows: number };

/** The largest terminal side, cells. */
export const PTY_MAX_CELLS = 1000;

export const encodePtyMessage = (m: PtyRequest | PtyEvent): Uint8Array => utf8Encode(JSON.stringify(m));

function parse(bytes: Uint8Array): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(utf8Decode(bytes) ?? '');
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const isBool = (v: unknown): v is boolean => typeof v === 'boolean';
const isCells = (v: unknown): v is number =>
  Number.isInteger(v) && (v as number) >= 1 && (v as number) <= PTY_MAX_CELLS;

export function decodePtyRequest(bytes: Uint8Array): Result<PtyRequest> {
  const f = parse(bytes);
  if (f?.['op'] !== 'mode') return err('not a pty request');
  const m = f['mode'];
  if (typeof m !== 'object' || m === null) return err('mode: missing');
  const { canonical, echo, signals } = m as Record<string, unknown>;
  if (!isBool(canonical) || !isBool(echo) || !isBool(signals)) return err('mode: flags must be booleans');
  return ok({ op: 'mode', mode: { canonical, echo, signals } });
}

export function decodePtyEvent(bytes: Uint8Array): Result<PtyEvent> {
  const f = parse(bytes);
  if (f === null) return err('not a JSON object');
  if (f['ev'] === 'signal') {
    const s = f['signal'];
    return s === 'interrupt' || s === 'suspend' || s === 'quit'
      ? ok({ ev: 'signal', signal: s })
      : err('signal: unknown');
  }
  if (f['ev'] === 'size')
    return isCells(f['cols']) && isCells(f['rows'])
      ? ok({ ev: 'size', cols: f['cols'], rows: f['rows'] })
      : err(`size: cols and rows must be 1..${PTY_MAX_CELLS}`);
  return err('not a pty event');
}
