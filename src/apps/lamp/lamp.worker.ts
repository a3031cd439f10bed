// lamp: an app that draws its own frames with the GPU (issue 6, ADR 0020). It renders a
// gradient lit where the user presses (scene.ts) with a WebGPU fragment shader into an
// OffscreenCanvas, and shows each frame by posting it as an ImageBitmap on its window's
// link: no shared pixel buffer, no copy through the CPU. Where the worker has no WebGPU
// adapter it draws the same picture on a 2D OffscreenCanvas and posts that, so the
// bitmap path is the same either way. Layer: apps. Initial handles: 0 its connection to
// the compositor. It exits when its window closes.
import { startDomain } from '../../workers/domain.ts';
import { Connection, type AppWindow } from '../../workers/window-client.ts';
import { LAMP_WGSL, shadeInto, type Light } from './scene.ts';

declare const self: DedicatedWorkerGlobalScope;

const WIDTH = 360;
const HEIGHT = 240;

/** Draws one frame of the scene at a size and returns it as a bitmap. */
interface Painter {
  readonly kind: 'WebGPU' | '2D';
  paint(width: number, height: number, light: Light): ImageBitmap;
}

async function webgpuPainter(): Promise<Painter | null> {
  const gpu = (self.navigator as Navigator & { gpu?: GPU }).gpu;
  const adapter = await gpu?.requestAdapter().catch(() => null);
  const device = await adapter?.requestDevice().catch(() => null);
  if (!gpu || !device) return null;
  const canvas = new OffscreenCanvas(1, 1);
  const context = canvas.getContext('webgpu');
  if (context === null) return null;
  const format = gpu.getPreferredCanvasFormat();
  context.configure({ device, format, alphaMode: 'opaque' });
  const module = device.createShaderModule({ code: LAMP_WGSL });
  const pipeline = device.createRenderPipeline({
    layout: 'auto',
    vertex: { module, entryPoint: 'vs' },
    fragment: { module, entryPoint: 'fs', targets: [{ format }] },
  });
  const params = device.createBuffer({ size: 16, usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST });
  const bindings = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: params } }],
  });
  return {
    kind: 'WebGPU',
    paint(width, height, light) {
      if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
      device.queue.writeBuffer(params, 0, new Float32Array([width, height, light.x, light.y]));
      const encoder = device.createCommandEncoder();
      const pass = encoder.beginRenderPass({
        colorAttachments: [
          { view: context.getCurrentTexture().createView(), loadOp: 'clear', storeOp: 'store' },
        ],
      });
      pass.setPipeline(pipeline);
      pass.setBindGroup(0, bindings);
      pass.draw(3);
      pass.end();
      device.queue.submit([encoder.finish()]);
      return canvas.transferToImageBitmap();
    },
  };
}

function canvas2dPainter(): Painter {
  const canvas = new OffscreenCanvas(1, 1);
  return {
    kind: '2D',
    paint(width, height, light) {
      if (canvas.width !== width || canvas.height !== height) [canvas.width, canvas.height] = [width, height];
      const ctx = canvas.getContext('2d');
      if (ctx === null) throw new Error('no 2D context for the lamp');
      const image = ctx.createImageData(width, height);
      shadeInto(image.data, width, height, light);
      ctx.putImageData(image, 0, 0);
      return canvas.transferToImageBitmap();
    },
  };
}

class Lamp {
  readonly #window: AppWindow;
  readonly #painter: Painter;
  #light: Light;
  /** A frame is being shown; `#again` asks for one more once it is. */
  #busy = false;
  #again = false;
  #frames = 0;

  constructor(window: AppWindow, painter: Painter) {
    this.#window = window;
    this.#painter = painter;
    this.#light = { x: window.width / 2, y: window.height / 2 };
  }

  /** Draws and shows a frame; requests while one is on its way coalesce into the next. */
  render(): void {
    if (this.#busy) {
      this.#again = true;
      return;
    }
    this.#busy = true;
    void this.#show();
  }

  async #show(): Promise<void> {
    do {
      this.#again = false;
      const w = this.#window;
      await w.presentBitmap(this.#painter.paint(w.width, w.height, this.#light));
      this.#frames++;
      const { x, y } = this.#light;
      await w.setText(
        `Lamp (${this.#painter.kind}): ${this.#frames} frames, light at ${Math.round(x)}, ${Math.round(y)}`,
      );
    } while (this.#again);
    this.#busy = false;
  }

  pointer(phase: 'down' | 'move' | 'up', x: number, y: number, buttons: number): void {
    if (phase === 'up' || (phase === 'move' && (buttons & 1) === 0)) return;
    this.#light = { x, y };
    this.render();
  }
}

startDomain(async (ctx) => {
  const connection = new Connection(ctx, ctx.handles[0] ?? 0);
  const painter = (await webgpuPainter()) ?? canvas2dPainter();
  const window = await connection.open('Lamp', WIDTH, HEIGHT, { bitmaps: true });
  const lamp = new Lamp(window, painter);
  lamp.render();
  for (;;) {
    const e = await connection.next();
    if (e === null || e.ev === 'closed') break;
    if (e.ev === 'pointer') lamp.pointer(e.phase, e.x, e.y, e.buttons);
    else if (e.ev === 'surface') lamp.render(); // resized: draw at the new size
  }
  return 0;
}, self);
