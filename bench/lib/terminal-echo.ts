// Pure helpers of the terminal benchmark (bench/terminal/): which compositor frame put an
// echoed glyph on screen, figures that are one percentile of their samples, and the text
// file `cat` writes to the terminal. Runs in the page and in node (unit tests).
import { percentile, summarize } from './stats.ts';
import type { Measurement } from './figures.ts';

/** What the compositor's frame times say about one echoed key. */
export type EchoFrame =
  | { readonly kind: 'drawn'; readonly ms: number }
  | { readonly kind: 'none' }
  | { readonly kind: 'ambiguous'; readonly frames: number };

/**
 * The frame that showed a key's echo, given when the key was sent and the compositor's
 * frame times (same clock, ms), read once the glyph was known to be in the terminal's
 * surface and the compositor had had time to draw it. Exactly one frame after the send
 * is that frame (nothing else drew); none means not drawn yet; more than one may mean
 * another surface drew in between (the panel's tray), so the sample cannot be trusted.
 */
export function echoFrame(sentAt: number, frameTimes: readonly number[]): EchoFrame {
  const after = frameTimes.filter((t) => t > sentAt);
  if (after.length === 0) return { kind: 'none' };
  if (after.length > 1) return { kind: 'ambiguous', frames: after.length };
  return { kind: 'drawn', ms: (after[0] as number) - sentAt };
}

/** A figure whose value is the `p`th percentile (nearest rank) of `samples`. */
export function fromPercentile(
  spec: Pick<Measurement, 'name' | 'unit' | 'baseline'>,
  samples: ArrayLike<number>,
  p: number,
): Measurement {
  const { count, median, p99 } = summarize(samples);
  return { ...spec, value: percentile(samples, p), median, p99, runs: count };
}

/** Lines of `cat`'s file: numbered, 80 columns with the newline, so the last line identifies the end. */
export function catLine(n: number): string {
  const head = `line ${String(n).padStart(7, '0')} `;
  return head + 'abcdefghijklmnopqrstuvwxyz'.repeat(3).slice(0, 79 - head.length);
}

/** `bytes` of text in whole lines of catLine (the last one cut short if it must be), and its last line. */
export function catText(bytes: number): { readonly data: Uint8Array; readonly lastLine: string } {
  const data = new Uint8Array(bytes);
  const encoder = new TextEncoder();
  let at = 0;
  let lastLine = '';
  for (let n = 1; at < bytes; n++) {
    const line = encoder.encode(`${catLine(n)}\n`);
    const take = Math.min(line.length, bytes - at);
    if (take < line.length) {
      // The file ends with a newline: the cut line ends with one too.
      data.set(line.subarray(0, take - 1), at);
      data[at + take - 1] = 0x0a;
      lastLine = catLine(n).slice(0, take - 1);
    } else {
      data.set(line, at);
      lastLine = catLine(n);
    }
    at += take;
  }
  return { data, lastLine };
}
