// Text helpers the utilities share: making untrusted strings safe to print on a terminal,
// padding columns and fitting lines to a width. Layer: apps (pure).

/** C0 and C1 controls and DEL: an escape sequence in a process name could rewrite the screen. */
// eslint-disable-next-line no-control-regex
const CONTROLS = /[\u0000-\u001f\u007f-\u009f]/g;

/** `s` with every control character replaced by '?', so printing it moves no cursor. */
export const printable = (s: string): string => s.replace(CONTROLS, '?');

/** A table as lines: each column padded to its widest cell; the last column is not padded. */
export function table(rows: readonly (readonly string[])[], rightAligned: readonly boolean[] = []): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) =>
    row
      .map((cell, i) => {
        const w = widths[i] ?? 0;
        if (rightAligned[i]) return cell.padStart(w);
        return i === row.length - 1 ? cell : cell.padEnd(w);
      })
      .join('  ')
      .trimEnd(),
  );
}

/** `line` cut to `width` code units (terminal cells, for the ASCII and box glyphs we print). */
export const fit = (line: string, width: number): string =>
  line.length > width ? line.slice(0, width) : line;

/** Bytes as ps shows them: 512B, 4.0K, 12M, 1.5G (1024-based). */
export function humanBytes(n: number): string {
  if (!(n >= 0) || !Number.isFinite(n)) return '?';
  const units = ['B', 'K', 'M', 'G', 'T'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  if (u === 0) return `${Math.round(v)}B`;
  return `${v < 10 ? v.toFixed(1) : Math.round(v).toString()}${units[u] ?? '?'}`;
}

/** The environment's value for `name` (`NAME=value` entries), or undefined. */
export function envValue(env: readonly string[], name: string): string | undefined {
  const prefix = `${name}=`;
  for (let i = env.length - 1; i >= 0; i--) {
    const e = env[i];
    if (e?.startsWith(prefix)) return e.slice(prefix.length);
  }
  return undefined;
}
