// The terminal's colours: the 16 ANSI colours, the 6×6×6 cube and the grey ramp of the
// 256-colour palette, as CSS strings, and the default foreground and background.
// Layer: apps, pure.
export const DEFAULT_FG = '#d8dee9';
export const DEFAULT_BG = '#10161f';
export const CURSOR = '#e5e9f0';

const ANSI16 = [
  '#1d232c',
  '#e06c75',
  '#98c379',
  '#e5c07b',
  '#61afef',
  '#c678dd',
  '#56b6c2',
  '#d8dee9',
  '#5c6370',
  '#ff7b86',
  '#b5e890',
  '#ffd68a',
  '#7cc4ff',
  '#de95f0',
  '#7fdbe6',
  '#ffffff',
];

const hex = (n: number): string => n.toString(16).padStart(2, '0');
const rgb = (r: number, g: number, b: number): string => `#${hex(r)}${hex(g)}${hex(b)}`;

/** Index 0..255 of the xterm palette as a CSS colour. */
export const PALETTE: readonly string[] = Array.from({ length: 256 }, (_, i) => {
  if (i < 16) return ANSI16[i] ?? DEFAULT_FG;
  if (i < 232) {
    const c = i - 16;
    const level = (v: number): number => (v === 0 ? 0 : 55 + v * 40);
    return rgb(level(Math.floor(c / 36)), level(Math.floor(c / 6) % 6), level(c % 6));
  }
  const grey = 8 + (i - 232) * 10;
  return rgb(grey, grey, grey);
});

/** A 24-bit colour (0xRRGGBB) as CSS. */
export const trueColor = (v: number): string => rgb((v >> 16) & 0xff, (v >> 8) & 0xff, v & 0xff);
