// The desktop's look as numbers: colours, corner radius, shadow and title metrics. Both
// renderers draw from these, which is what keeps them looking the same. Layer: gpu, pure
// data and colour maths.
/** A colour: red, green, blue 0..255 (sRGB) and alpha 0..1, straight (not premultiplied). */
export type Rgba = readonly [r: number, g: number, b: number, a: number];

/** Every colour the desktop draws with. */
export const THEME = {
  /** The wallpaper: a vertical gradient from top to bottom. */
  wallpaperTop: [36, 52, 84, 1],
  wallpaperBottom: [14, 20, 34, 1],
  titleFocused: [46, 58, 82, 1],
  titleUnfocused: [34, 38, 46, 1],
  titleTextFocused: [236, 240, 248, 1],
  titleTextUnfocused: [150, 156, 168, 1],
  /** The content area where there is no surface (or it does not reach). */
  content: [24, 26, 31, 1],
  /** A hairline just outside the frame, so windows stand apart without covering app pixels. */
  border: [255, 255, 255, 0.1],
  shadow: [0, 0, 0, 0.45],
  previewFill: [120, 170, 255, 0.18],
  previewStroke: [140, 185, 255, 0.7],
} as const satisfies Record<string, Rgba>;

/** Corner radius of windows and the snap preview, CSS px. */
export const CORNER_RADIUS = 8;
/** Width of the frame's hairline (outside the frame) and of the preview's outline (inside it), CSS px. */
export const BORDER_WIDTH = 1;
export const PREVIEW_STROKE_WIDTH = 2;
/** The shadow is the frame's shape moved down this far, CSS px ... */
export const SHADOW_OFFSET_Y = 4;
/** ... and blurred with a Gaussian of this standard deviation, CSS px (canvas shadowBlur = 2σ). */
export const SHADOW_SIGMA = 6;
/** Title text: font (CSS px size), left inset and the widest title drawn, CSS px. */
export const TITLE_FONT = '600 13px system-ui, sans-serif';
export const TITLE_INSET = 12;
export const TITLE_MAX_WIDTH = 1024;
/** Side of a title-bar button's glyph, CSS px, centred in the button. */
export const GLYPH_SIZE = 16;

/** How far the shadow visibly reaches below the frame (3σ plus the offset); must stay within SHADOW_MARGIN. */
export const SHADOW_REACH = SHADOW_OFFSET_Y + 3 * SHADOW_SIGMA;

/** `c` as a CSS colour string, for Canvas2D. */
export const cssColor = (c: Rgba): string => `rgba(${c[0]}, ${c[1]}, ${c[2]}, ${c[3]})`;

/** `c` with each channel in 0..1, straight alpha, for shaders. */
export const unitColor = (c: Rgba): [number, number, number, number] => [
  c[0] / 255,
  c[1] / 255,
  c[2] / 255,
  c[3],
];

/** The wallpaper's colour (0..255 channels, unrounded) at `t` = 0 (top) .. 1 (bottom). */
export function wallpaperAt(t: number): Rgba {
  const k = Math.max(0, Math.min(1, t));
  const [a, b] = [THEME.wallpaperTop, THEME.wallpaperBottom];
  return [a[0] + (b[0] - a[0]) * k, a[1] + (b[1] - a[1]) * k, a[2] + (b[2] - a[2]) * k, 1];
}
