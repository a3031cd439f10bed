// Page of e2e/render.spec.ts (built only by that spec, never part of the desktop build): it
// hands OffscreenCanvases to render-probe workers and relays Frames and pixel reads, keeping
// each window's surface in a SharedArrayBuffer that it paints into like an app would.
// Exposes window.renderProbe. Trusts the spec that drives it.

/** A solid paint of `rgba` over surface-local `rect`. */
export interface Paint {
  readonly rect: { x: number; y: number; w: number; h: number };
  readonly rgba: readonly [number, number, number, number];
}

/** A surface as the spec describes it: size, version, dirty rects and what to paint before drawing. */
export interface SurfaceSpec {
  readonly width: number;
  readonly height: number;
  readonly version: number;
  readonly dirty: readonly { x: number; y: number; w: number; h: number }[];
  readonly paint: readonly Paint[];
}

/** A Frame whose windows carry SurfaceSpecs instead of pixels. */
export interface FrameSpec {
  readonly width: number;
  readonly height: number;
  readonly dpr: number;
  readonly preview: { x: number; y: number; w: number; h: number } | null;
  readonly windows: readonly {
    readonly id: number;
    readonly rect: { x: number; y: number; w: number; h: number };
    readonly title: string;
    readonly focused: boolean;
    /** Absent: true (a window with a title bar); false draws a shell layer. */
    readonly chrome?: boolean;
    readonly opacity: number;
    readonly scale: number;
    readonly surface: SurfaceSpec | null;
  }[];
}

/** Colours by name, straight RGBA (alpha 0..1), as the renderers draw them. */
export type Theme = Record<string, readonly [number, number, number, number]>;

interface Reply {
  readonly ok: boolean;
  readonly error?: string;
  readonly kind?: string;
  readonly theme?: Theme;
  readonly pixels?: Uint8Array;
}

interface Slot {
  readonly worker: Worker;
  readonly surfaces: Map<number, Uint8Array>;
  readonly pending: Map<number, (reply: Reply) => void>;
}

const slots: Slot[] = [];
let nextId = 1;

function call(slot: Slot, message: object, transfer: Transferable[] = []) {
  const id = nextId++;
  return new Promise<Reply>((resolve, reject) => {
    slot.pending.set(id, (reply) => (reply.ok ? resolve(reply) : reject(new Error(reply.error))));
    slot.worker.postMessage({ id, ...message }, transfer);
  });
}

function slotAt(index: number): Slot {
  const slot = slots[index];
  if (slot === undefined) throw new Error(`no slot ${index}`);
  return slot;
}

/** The surface's pixels after painting, in shared memory kept across frames. */
function surfacePixels(slot: Slot, id: number, s: SurfaceSpec): Uint8Array {
  let pixels = slot.surfaces.get(id);
  if (pixels?.length !== s.width * s.height * 4) {
    pixels = new Uint8Array(new SharedArrayBuffer(s.width * s.height * 4));
    slot.surfaces.set(id, pixels);
  }
  for (const p of s.paint) {
    for (let y = p.rect.y; y < p.rect.y + p.rect.h; y++) {
      for (let x = p.rect.x; x < p.rect.x + p.rect.w; x++) pixels.set(p.rgba, (y * s.width + x) * 4);
    }
  }
  return pixels;
}

const probe = {
  /** Opens a canvas (CSS width × height at dpr) with a renderer in its own worker; answers its slot, kind and theme. */
  async open(prefer: string, width: number, height: number, dpr: number) {
    const canvas = document.createElement('canvas');
    canvas.id = `probe-${slots.length}`;
    canvas.width = Math.round(width * dpr);
    canvas.height = Math.round(height * dpr);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    document.body.append(canvas);
    const worker = new Worker(new URL('../../src/gpu/render/render-probe.worker.ts', import.meta.url), {
      type: 'module',
    });
    const slot: Slot = { worker, surfaces: new Map(), pending: new Map() };
    worker.onmessage = (e: MessageEvent<{ id: number; ok: boolean }>) => {
      slot.pending.get(e.data.id)?.(e.data);
      slot.pending.delete(e.data.id);
    };
    slots.push(slot);
    const offscreen = canvas.transferControlToOffscreen();
    const reply = await call(slot, { op: 'open', canvas: offscreen, prefer }, [offscreen]);
    return { slot: slots.length - 1, kind: reply.kind, theme: reply.theme, canvas: canvas.id };
  },

  async render(
    index: number,
    spec: FrameSpec,
    damage: readonly { x: number; y: number; w: number; h: number }[],
  ) {
    const slot = slotAt(index);
    const windows = spec.windows.map(({ surface, chrome, ...w }) => ({
      ...w,
      chrome: chrome ?? true,
      content:
        surface === null
          ? null
          : {
              width: surface.width,
              height: surface.height,
              version: surface.version,
              dirty: surface.dirty,
              pixels: surfacePixels(slot, w.id, surface),
            },
    }));
    await call(slot, { op: 'render', frame: { ...spec, windows }, damage });
  },

  /** RGBA of the device pixels of CSS rect (x, y, w, h), as read back by the renderer. */
  async read(index: number, rect: { x: number; y: number; w: number; h: number }): Promise<number[]> {
    const reply = await call(slotAt(index), { op: 'read', rect });
    return Array.from(reply.pixels ?? []);
  },
};

/** What the page offers its spec. */
export type RenderProbe = typeof probe;
declare global {
  interface Window {
    renderProbe: RenderProbe;
  }
}
window.renderProbe = probe;
