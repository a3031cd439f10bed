// The compositor's renderer: the one interface both back ends implement, and the choice
// between them. Layer: gpu, runs in the compositor domain (a dedicated worker) that owns
// the OffscreenCanvas. WebGPU is used when an adapter, a device and a canvas context are
// all there; otherwise Canvas2D draws the same scene. A missing GPU is never an error.
//
// Lifecycle: createRenderer binds the canvas to one context type for good (a canvas cannot
// switch), resize follows the viewport, render draws only when called (the caller calls it
// only when there is damage), destroy frees every texture and cache.
import type { Rect } from '../wm/geometry.ts';
import { createCanvas2dRenderer } from './canvas2d.ts';
import type { Frame } from './frame.ts';
import { createWebGpuRenderer } from './webgpu.ts';

/** A back end that draws Frames onto the canvas it was made for. */
export interface Renderer {
  readonly kind: 'webgpu' | 'canvas2d';
  /**
   * Draws `frame`. Only `damage` (CSS px rects, Scene.takeDamage) needs to change on screen;
   * the first frame and the first after a resize are drawn whole whatever it says. A frame
   * whose size or dpr differs from the last resize resizes first.
   */
  render(frame: Frame, damage: readonly Rect[]): void;
  /** Sets the viewport (CSS px) and device pixel ratio; the canvas becomes width*dpr × height*dpr. */
  resize(width: number, height: number, dpr: number): void;
  /**
   * What is on the canvas now in the device pixels covering CSS rect `rect` (clipped to the
   * canvas): tightly packed RGBA8, row-major. For automation and tests.
   */
  readPixels(rect: Rect): Promise<Uint8Array>;
  /** Frees the renderer's textures and caches; it draws nothing afterwards. */
  destroy(): void;
}

/** Which back end to use; 'auto' and 'webgpu' both fall back to Canvas2D without a GPU (check `kind`). */
export type RendererPreference = 'auto' | 'webgpu' | 'canvas2d';

/**
 * A renderer for `canvas`, which must have no context yet. Throws only when not even a
 * Canvas2D context can be had (or a WebGPU context was obtained but would not configure,
 * which leaves the canvas unusable for 2D).
 */
export async function createRenderer(canvas: OffscreenCanvas, prefer: RendererPreference): Promise<Renderer> {
  if (prefer !== 'canvas2d') {
    const gpu = await createWebGpuRenderer(canvas);
    if (gpu !== null) return gpu;
  }
  return createCanvas2dRenderer(canvas);
}
