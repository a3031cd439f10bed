// A frame as the WebGPU renderer's instance data: one quad per piece (wallpaper, shadow,
// title bar, content, title, glyphs, hairline, preview), each with the shape its fragment
// shader cuts out, grouped into batches that share a texture. Layer: gpu, pure logic (the
// GPU code only uploads what this builds). Units: CSS px, except texel coordinates.
//
// Per instance, 9 vec4s (see INSTANCE_LAYOUT and shader.ts):
//   rect      quad x, y, w, h (before scale)
//   pivot     scale centre x, y; scale; opacity
//   color     straight RGBA 0..1 (the fill, or the background under a texture, or the gradient top)
//   color2    the gradient's bottom colour
//   radii     corner radii tl, tr, br, bl of the shape
//   shape     the shape's rect, relative to the quad's corner
//   cell      texel bounds x0, y0, x1, y1 sampled (empty: no texture)
//   texel     texel = local × texel.z + texel.xy; texel.w: mode parameter (σ or ring width)
//   mode      x: one of MODE
import { TITLE_BAR_HEIGHT } from '../wm/frame.ts';
import { inflate, type Rect } from '../wm/geometry.ts';
import { glyphCell } from './decor.ts';
import type { Frame, FrameWindow } from './frame.ts';
import { drawOrder, sanitizeDpr, surfacePlacement, windowLayout, type WindowLayout } from './layout.ts';
import {
  BORDER_WIDTH,
  CORNER_RADIUS,
  PREVIEW_STROKE_WIDTH,
  SHADOW_OFFSET_Y,
  SHADOW_SIGMA,
  THEME,
  unitColor,
  type Rgba,
} from './theme.ts';
import { SHADOW_MARGIN } from '../wm/scene.ts';

/** What the fragment shader does with a quad. */
export const MODE = { fill: 0, shadow: 1, ring: 2, texture: 3, gradient: 4 } as const;
export type Mode = (typeof MODE)[keyof typeof MODE];

export const INSTANCE_VEC4S = 9;
export const INSTANCE_FLOATS = INSTANCE_VEC4S * 4;
export const INSTANCE_BYTES = INSTANCE_FLOATS * 4;

/** The texture a batch samples. */
export type TextureRef =
  | { readonly kind: 'none' }
  | { readonly kind: 'surface'; readonly id: number }
  | { readonly kind: 'title'; readonly key: string }
  | { readonly kind: 'glyphs' };

/** Instances `first .. first+count` drawn with `texture` bound. */
export interface Batch {
  readonly texture: TextureRef;
  readonly first: number;
  readonly count: number;
}

export interface SceneInstances {
  readonly data: Float32Array<ArrayBuffer>;
  readonly batches: readonly Batch[];
}

/** What the builder needs to know of the textures the renderer holds. */
export interface TextureSizes {
  /** The size of window `id`'s surface texture, or null when it has none. */
  surface(id: number): { readonly width: number; readonly height: number } | null;
  /** The cache key and size of `w`'s title texture, or null when it has none. */
  title(w: FrameWindow): {
    readonly key: string;
    readonly cssWidth: number;
    readonly width: number;
    readonly height: number;
  } | null;
}

interface Quad {
  readonly rect: Rect;
  readonly mode: Mode;
  readonly color: Rgba;
  readonly color2?: Rgba;
  readonly radii?: readonly [number, number, number, number];
  readonly shape?: Rect;
  readonly cell?: Rect;
  readonly texel?: readonly [offX: number, offY: number, scale: number];
  readonly param?: number;
  readonly texture?: TextureRef;
}

const NONE: TextureRef = { kind: 'none' };
const R = CORNER_RADIUS;
const ALL: [number, number, number, number] = [R, R, R, R];
const TRANSPARENT: Rgba = [0, 0, 0, 0];
const NO_RADII = [0, 0, 0, 0] as const;

/** Equal for refs to the same texture. */
export function textureKey(t: TextureRef): string {
  switch (t.kind) {
    case 'none':
      return 'none';
    case 'glyphs':
      return 'glyphs';
    case 'surface':
      return `surface:${t.id}`;
    case 'title':
      return `title:${t.key}`;
  }
}

class Builder {
  readonly #quads: { quad: Quad; pivot: [number, number, number, number] }[] = [];

  push(quad: Quad, pivot: [number, number, number, number]): void {
    if (quad.rect.w > 0 && quad.rect.h > 0) this.#quads.push({ quad, pivot });
  }

  finish(): SceneInstances {
    const data = new Float32Array(this.#quads.length * INSTANCE_FLOATS);
    const batches: Batch[] = [];
    this.#quads.forEach(({ quad: q, pivot }, i) => {
      const shape = q.shape ?? { x: 0, y: 0, w: q.rect.w, h: q.rect.h };
      const cell = q.cell ?? { x: 0, y: 0, w: 0, h: 0 };
      const texel = q.texel ?? [0, 0, 0];
      const cellEnd = [cell.x + cell.w, cell.y + cell.h];
      const values = [
        ...[q.rect.x, q.rect.y, q.rect.w, q.rect.h, ...pivot],
        ...[...unitColor(q.color), ...unitColor(q.color2 ?? TRANSPARENT), ...(q.radii ?? NO_RADII)],
        ...[shape.x, shape.y, shape.w, shape.h, cell.x, cell.y, ...cellEnd],
        ...[...texel, q.param ?? 0, q.mode, 0, 0, 0],
      ];
      data.set(values, i * INSTANCE_FLOATS);
      const texture = q.texture ?? NONE;
      const last = batches.at(-1);
      if (last !== undefined && textureKey(last.texture) === textureKey(texture)) {
        batches[batches.length - 1] = { ...last, count: last.count + 1 };
      } else batches.push({ texture, first: i, count: 1 });
    });
    return { data, batches };
  }
}

/** The quad of `w`'s content area `rect`: its surface's texture, or the neutral colour. */
function contentQuad(
  w: FrameWindow,
  rect: Rect,
  radii: Quad['radii'],
  dpr: number,
  sizes: TextureSizes,
): Quad {
  const surface = sizes.surface(w.id);
  const placed = surface === null ? null : surfacePlacement(rect, surface.width, surface.height, dpr);
  return {
    rect,
    mode: MODE.texture,
    color: THEME.content,
    ...(radii === undefined ? {} : { radii }),
    ...(placed === null
      ? {}
      : {
          texture: { kind: 'surface', id: w.id },
          cell: { x: 0, y: 0, w: placed.crop.w, h: placed.crop.h },
          texel: [placed.offset.x, placed.offset.y, dpr],
        }),
  };
}

function pushWindow(b: Builder, w: FrameWindow, L: WindowLayout, dpr: number, sizes: TextureSizes): void {
  const pivot: [number, number, number, number] = [L.pivot.x, L.pivot.y, L.scale, L.opacity];
  if (!w.chrome) {
    b.push(contentQuad(w, L.frame, undefined, dpr, sizes), pivot); // a layer: its content, nothing else
    return;
  }
  const f = L.frame;
  b.push(
    {
      rect: L.shadow,
      mode: MODE.shadow,
      color: THEME.shadow,
      radii: ALL,
      shape: { x: SHADOW_MARGIN, y: SHADOW_MARGIN + SHADOW_OFFSET_Y, w: f.w, h: f.h },
      param: SHADOW_SIGMA,
    },
    pivot,
  );
  b.push(
    {
      rect: L.titleBar,
      mode: MODE.fill,
      color: w.focused ? THEME.titleFocused : THEME.titleUnfocused,
      radii: [R, R, 0, 0],
    },
    pivot,
  );
  b.push(contentQuad(w, L.content, [0, 0, R, R], dpr, sizes), pivot);
  const title = L.title === null ? null : sizes.title(w);
  if (L.title !== null && title !== null) {
    b.push(
      {
        rect: { x: L.title.x, y: L.title.y, w: Math.min(title.cssWidth, L.title.w), h: TITLE_BAR_HEIGHT },
        mode: MODE.texture,
        color: TRANSPARENT,
        texture: { kind: 'title', key: title.key },
        cell: { x: 0, y: 0, w: title.width, h: title.height },
        texel: [0, 0, dpr],
      },
      pivot,
    );
  }
  for (const g of L.glyphs) {
    const cell = glyphCell(g.button, w.focused, dpr);
    b.push(
      {
        rect: { x: g.rect.x, y: g.rect.y, w: cell.w / dpr, h: cell.h / dpr },
        mode: MODE.texture,
        color: TRANSPARENT,
        texture: { kind: 'glyphs' },
        cell,
        texel: [cell.x, cell.y, dpr],
      },
      pivot,
    );
  }
  const bw = BORDER_WIDTH;
  const outer = R + bw;
  b.push(
    {
      rect: inflate(f, bw),
      mode: MODE.ring,
      color: THEME.border,
      radii: [outer, outer, outer, outer],
      param: bw,
    },
    pivot,
  );
}

/** The instances that draw `frame` at `dpr`, bottom to top, wallpaper first. */
export function buildInstances(frame: Frame, dpr: number, sizes: TextureSizes): SceneInstances {
  const d = sanitizeDpr(dpr);
  const b = new Builder();
  const flat: [number, number, number, number] = [0, 0, 1, 1];
  b.push(
    {
      rect: { x: 0, y: 0, w: frame.width, h: frame.height },
      mode: MODE.gradient,
      color: THEME.wallpaperTop,
      color2: THEME.wallpaperBottom,
    },
    flat,
  );
  for (const item of drawOrder(frame)) {
    if (item.kind === 'window') pushWindow(b, item.window, windowLayout(item.window), d, sizes);
    else {
      b.push({ rect: item.rect, mode: MODE.fill, color: THEME.previewFill, radii: ALL }, flat);
      b.push(
        {
          rect: item.rect,
          mode: MODE.ring,
          color: THEME.previewStroke,
          radii: ALL,
          param: PREVIEW_STROKE_WIDTH,
        },
        flat,
      );
    }
  }
  return b.finish();
}
