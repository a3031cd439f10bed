// Messages between the terminal benchmark's page (terminal/main.ts) and its raw baseline
// worker (terminal/raw-terminal.worker.ts): a bare @xterm/headless Terminal drawn to an
// OffscreenCanvas, with no Tessera between the page and it. Benchmark code, trusted.

export type ToRawTerminal =
  /** Write `data` to the terminal; answer with a frame of the screen once it is parsed. */
  | { readonly kind: 'key'; readonly data: string }
  /** Write all of `bytes` in `chunk`-byte writes; answer `written` once the last is parsed and drawn. */
  | { readonly kind: 'cat'; readonly bytes: ArrayBuffer; readonly chunk: number }
  /** Clear the screen and scrollback (untimed, between runs). */
  | { readonly kind: 'reset' };

export type FromRawTerminal =
  | { readonly kind: 'frame'; readonly bitmap: ImageBitmap }
  | { readonly kind: 'written'; readonly frames: number }
  | { readonly kind: 'reset' };
