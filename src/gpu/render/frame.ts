// What the compositor hands a renderer each frame: the visible windows bottom to top, their
// surface pixels and the snap preview, in CSS pixels. Layer: gpu, plain data (no DOM, no
// GPU). Renderers trust the shapes (the compositor built them) but not the sizes: a pixel
// buffer shorter than its stated size is drawn as if the window had no content.
import type { SurfaceBitmap } from '../../abi/window-protocol.ts';
import type { Rect } from '../wm/geometry.ts';

/**
 * An app's pixels: RGBA8 with straight alpha, row-major, `width * 4` bytes per row. Drawn at
 * the content area's top-left corner, one surface pixel per device pixel, cropped to the
 * content area; what it does not cover shows the neutral content colour.
 */
export interface SurfaceContent {
  readonly width: number;
  readonly height: number;
  /** May be a view on a SharedArrayBuffer; renderers read only the rows they upload. */
  readonly pixels: Uint8Array;
  /** Bumps when the app presents a new frame. */
  readonly version: number;
  /** Surface-local rects changed since version - 1; empty means all of it. */
  readonly dirty: readonly Rect[];
  /**
   * A frame the app drew itself (ADR 0020), `width`×`height`, drawn instead of `pixels`
   * (then empty). In the compositor's worker it is the ImageBitmap the app transferred;
   * it stays open until a newer frame replaces it, so a renderer may copy it again.
   */
  readonly bitmap?: SurfaceBitmap;
}

/** A window as drawn: the scene's view of it plus its content. */
export interface FrameWindow {
  /** The scene's window id; renderers key their per-window textures by it. */
  readonly id: number;
  /** The whole frame, title bar included, CSS px; for a layer, its content. */
  readonly rect: Rect;
  /**
   * False for a layer (the shell's taskbar, launcher, toasts): only its content is drawn,
   * filling `rect`, with no title bar, shadow, border or rounded corners.
   */
  readonly chrome: boolean;
  readonly title: string;
  readonly focused: boolean;
  /** 0..1, applied to the whole window, shadow included. */
  readonly opacity: number;
  /** About the rect's centre (Scene's animation scale). */
  readonly scale: number;
  /** Null: the content area is drawn in the neutral colour. */
  readonly content: SurfaceContent | null;
}

/** One frame of the desktop. */
export interface Frame {
  /** Viewport, CSS px. */
  readonly width: number;
  readonly height: number;
  /** Device pixel ratio: the canvas is width*dpr × height*dpr device pixels. */
  readonly dpr: number;
  /** Bottom to top: only what is visible on the active workspace. */
  readonly windows: readonly FrameWindow[];
  /** The snap preview, drawn just below the focused window (on top when none is); or null. */
  readonly preview: Rect | null;
}
