// A test harness, not part of the desktop: a dedicated worker that owns one OffscreenCanvas
// and one renderer and draws the Frames a page sends it, so e2e/render.spec.ts can check
// both renderers' pixels in a real worker. Layer: gpu. Only the e2e page starts it; the
// desktop's build never reaches it. Trusts its page (it is a test fixture), but answers a
// malformed request with an error rather than throwing.
import type { Rect } from '../wm/geometry.ts';
import type { Frame } from './frame.ts';
import { createRenderer, type Renderer, type RendererPreference } from './renderer.ts';
import { THEME } from './theme.ts';

/** A request from the page; the reply echoes `id`. */
export type ProbeRequest =
  | {
      readonly id: number;
      readonly op: 'open';
      readonly canvas: OffscreenCanvas;
      readonly prefer: RendererPreference;
    }
  | { readonly id: number; readonly op: 'render'; readonly frame: Frame; readonly damage: readonly Rect[] }
  | { readonly id: number; readonly op: 'read'; readonly rect: Rect };

/** The reply: `kind` and the colours drawn with for open, `pixels` for read. */
export type ProbeReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly kind?: Renderer['kind'];
      readonly theme?: typeof THEME;
      readonly pixels?: Uint8Array;
    }
  | { readonly id: number; readonly ok: false; readonly error: string };

let renderer: Renderer | null = null;

async function handle(req: ProbeRequest): Promise<Omit<ProbeReply & { ok: true }, 'id' | 'ok'>> {
  if (req.op === 'open') {
    renderer?.destroy();
    renderer = await createRenderer(req.canvas, req.prefer);
    return { kind: renderer.kind, theme: THEME };
  }
  if (renderer === null) throw new Error('no renderer: send open first');
  if (req.op === 'render') {
    renderer.render(req.frame, req.damage);
    return {};
  }
  return { pixels: await renderer.readPixels(req.rect) };
}

self.onmessage = (event: MessageEvent<unknown>) => {
  const req = event.data as ProbeRequest;
  const id = typeof req === 'object' && req !== null && typeof req.id === 'number' ? req.id : -1;
  handle(req).then(
    (result) => self.postMessage({ id, ok: true, ...result } satisfies ProbeReply),
    (error: unknown) => self.postMessage({ id, ok: false, error: String(error) } satisfies ProbeReply),
  );
};
