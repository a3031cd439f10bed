// The WebGPU renderer: every frame is drawn as instanced quads (instances.ts, shader.ts)
// into a render target the renderer owns, scissored to the damage, then the whole target is
// copied to the canvas. Keeping the target means the damage scissor stays correct whatever
// the canvas does with its buffers, and readPixels reads exactly what was presented.
// Layer: gpu, compositor domain. Textures: one per window surface (dirty rects uploaded
// with writeTexture), one per distinct title (bounded cache), one glyph atlas.
import type { Rect } from '../wm/geometry.ts';
import { TITLE_CACHE_SIZE, renderGlyphAtlas, renderTitle, titleKey } from './decor.ts';
import type { Frame, FrameWindow, SurfaceContent } from './frame.ts';
import { INSTANCE_BYTES, INSTANCE_VEC4S, buildInstances, type TextureRef } from './instances.ts';
import { damageBounds, deviceSize, sanitizeDpr, toDeviceRect, type DeviceSize } from './layout.ts';
import { LruCache } from './lru.ts';
import { alignedBytesPerRow, unpackRows } from './readback.ts';
import type { Renderer } from './renderer.ts';
import { QUAD_SHADER } from './shader.ts';
import { planUpload, rowSpan, validSurface } from './surface-upload.ts';

/** A texture the shader samples, with its bind group. */
interface Sampled {
  readonly texture: GPUTexture;
  readonly group: GPUBindGroup;
  readonly width: number;
  readonly height: number;
}
interface SurfaceTexture extends Sampled {
  version: number;
}
interface TitleTexture extends Sampled {
  readonly key: string;
  readonly cssWidth: number;
}

/**
 * A WebGPU renderer for `canvas`, or null when there is no adapter, no device or no WebGPU
 * context (the canvas is then still free for Canvas2D). Throws only if the context was
 * obtained but would not configure.
 */
export async function createWebGpuRenderer(canvas: OffscreenCanvas): Promise<Renderer | null> {
  const gpu = (navigator as { gpu?: GPU }).gpu;
  if (gpu === undefined) return null;
  const adapter = await gpu.requestAdapter().catch(() => null);
  if (adapter === null) return null;
  const device = await adapter.requestDevice().catch(() => null);
  if (device === null) return null;
  const context = canvas.getContext('webgpu');
  if (context === null) {
    device.destroy();
    return null;
  }
  const format = gpu.getPreferredCanvasFormat();
  context.configure({
    device,
    format,
    alphaMode: 'opaque',
    usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_DST,
  });
  return new WebGpuRenderer(canvas, device, context, format);
}

function createPipeline(
  device: GPUDevice,
  format: GPUTextureFormat,
  layouts: GPUBindGroupLayout[],
): GPURenderPipeline {
  const module = device.createShaderModule({ code: QUAD_SHADER });
  const blend: GPUBlendComponent = { srcFactor: 'one', dstFactor: 'one-minus-src-alpha', operation: 'add' };
  return device.createRenderPipeline({
    layout: device.createPipelineLayout({ bindGroupLayouts: layouts }),
    vertex: {
      module,
      entryPoint: 'vs',
      buffers: [
        {
          arrayStride: INSTANCE_BYTES,
          stepMode: 'instance',
          attributes: Array.from({ length: INSTANCE_VEC4S }, (_, i) => ({
            shaderLocation: i,
            offset: i * 16,
            format: 'float32x4' as const,
          })),
        },
      ],
    },
    fragment: { module, entryPoint: 'fs', targets: [{ format, blend: { color: blend, alpha: blend } }] },
    primitive: { topology: 'triangle-list' },
  });
}

class WebGpuRenderer implements Renderer {
  readonly kind = 'webgpu';
  readonly #canvas: OffscreenCanvas;
  readonly #device: GPUDevice;
  readonly #context: GPUCanvasContext;
  readonly #format: GPUTextureFormat;
  readonly #pipeline: GPURenderPipeline;
  readonly #textureLayout: GPUBindGroupLayout;
  readonly #uniforms: GPUBuffer;
  readonly #uniformGroup: GPUBindGroup;
  readonly #blank: Sampled;
  #instances: GPUBuffer | null = null;
  #target: GPUTexture;
  #css = { width: 1, height: 1 };
  #dpr = 1;
  #size: DeviceSize;
  /** Set when the target holds nothing trustworthy (new, resized): the next frame is drawn whole. */
  #full = true;
  #dead = false;
  readonly #surfaces = new Map<number, SurfaceTexture>();
  readonly #titles: LruCache<string, TitleTexture | null>;
  #glyphs: Sampled | null = null;
  /** Textures evicted while a frame is being encoded; destroyed once it is submitted. */
  #retired: GPUTexture[] = [];

  constructor(
    canvas: OffscreenCanvas,
    device: GPUDevice,
    context: GPUCanvasContext,
    format: GPUTextureFormat,
  ) {
    this.#canvas = canvas;
    this.#device = device;
    this.#context = context;
    this.#format = format;
    this.#titles = new LruCache(TITLE_CACHE_SIZE, (t) => t && this.#retired.push(t.texture));
    const uniformLayout = device.createBindGroupLayout({
      entries: [{ binding: 0, visibility: GPUShaderStage.VERTEX | GPUShaderStage.FRAGMENT, buffer: {} }],
    });
    this.#textureLayout = device.createBindGroupLayout({
      entries: [{ binding: 0, visibility: GPUShaderStage.FRAGMENT, texture: { sampleType: 'float' } }],
    });
    this.#pipeline = createPipeline(device, format, [uniformLayout, this.#textureLayout]);
    this.#uniforms = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
    this.#uniformGroup = device.createBindGroup({
      layout: uniformLayout,
      entries: [{ binding: 0, resource: { buffer: this.#uniforms } }],
    });
    this.#blank = this.#sampled(
      device.createTexture({ size: [1, 1], format: 'rgba8unorm', usage: GPUTextureUsage.TEXTURE_BINDING }),
    );
    this.#size = { width: canvas.width, height: canvas.height };
    this.#css = { width: canvas.width, height: canvas.height };
    this.#target = this.#createTarget();
    void device.lost.then(() => {
      this.#dead = true;
    });
  }

  resize(width: number, height: number, dpr: number): void {
    if (this.#dead) return;
    const d = sanitizeDpr(dpr);
    if (d !== this.#dpr) {
      this.#titles.clear();
      this.#glyphs?.texture.destroy();
      this.#glyphs = null;
    }
    this.#dpr = d;
    this.#css = { width, height };
    this.#size = deviceSize(width, height, d);
    this.#canvas.width = this.#size.width;
    this.#canvas.height = this.#size.height;
    this.#target.destroy();
    this.#target = this.#createTarget();
    this.#full = true;
  }

  render(frame: Frame, damage: readonly Rect[]): void {
    if (this.#dead) return;
    if (
      frame.width !== this.#css.width ||
      frame.height !== this.#css.height ||
      sanitizeDpr(frame.dpr) !== this.#dpr
    ) {
      this.resize(frame.width, frame.height, frame.dpr);
    }
    this.#syncSurfaces(frame.windows);
    const whole = { x: 0, y: 0, w: this.#size.width, h: this.#size.height };
    const scissor = this.#full ? whole : damageBounds(damage, this.#dpr, this.#size);
    if (scissor.w === 0 || scissor.h === 0) return;
    const scene = buildInstances(frame, this.#dpr, {
      surface: (id) => this.#surfaces.get(id) ?? null,
      title: (w) => this.#title(w),
    });
    const device = this.#device;
    device.queue.writeBuffer(
      this.#uniforms,
      0,
      new Float32Array([this.#size.width, this.#size.height, this.#dpr, this.#css.height]),
    );
    const instances = this.#instanceBuffer(scene.data.byteLength);
    device.queue.writeBuffer(instances, 0, scene.data);
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginRenderPass({
      colorAttachments: [
        {
          view: this.#target.createView(),
          loadOp: this.#full ? 'clear' : 'load',
          clearValue: { r: 0, g: 0, b: 0, a: 1 },
          storeOp: 'store',
        },
      ],
    });
    pass.setPipeline(this.#pipeline);
    pass.setBindGroup(0, this.#uniformGroup);
    pass.setVertexBuffer(0, instances);
    pass.setScissorRect(scissor.x, scissor.y, scissor.w, scissor.h);
    for (const b of scene.batches) {
      pass.setBindGroup(1, this.#groupFor(b.texture));
      pass.draw(6, b.count, 0, b.first);
    }
    pass.end();
    encoder.copyTextureToTexture({ texture: this.#target }, { texture: this.#context.getCurrentTexture() }, [
      this.#size.width,
      this.#size.height,
    ]);
    device.queue.submit([encoder.finish()]);
    for (const t of this.#retired.splice(0)) t.destroy();
    this.#full = false;
  }

  async readPixels(rect: Rect): Promise<Uint8Array> {
    const r = toDeviceRect(rect, this.#dpr, this.#size);
    if (this.#dead || r.w === 0 || r.h === 0) return new Uint8Array(0);
    const bytesPerRow = alignedBytesPerRow(r.w);
    const buffer = this.#device.createBuffer({
      size: bytesPerRow * r.h,
      usage: GPUBufferUsage.COPY_DST | GPUBufferUsage.MAP_READ,
    });
    try {
      const encoder = this.#device.createCommandEncoder();
      encoder.copyTextureToBuffer(
        { texture: this.#target, origin: { x: r.x, y: r.y } },
        { buffer, bytesPerRow },
        [r.w, r.h],
      );
      this.#device.queue.submit([encoder.finish()]);
      await buffer.mapAsync(GPUMapMode.READ);
      const rows = new Uint8Array(buffer.getMappedRange());
      return unpackRows(rows, r.w, r.h, bytesPerRow, this.#format === 'bgra8unorm');
    } finally {
      buffer.destroy();
    }
  }

  destroy(): void {
    if (this.#dead) return;
    this.#dead = true;
    this.#context.unconfigure();
    this.#device.destroy(); // frees every texture and buffer made on it
    this.#surfaces.clear();
  }

  #createTarget(): GPUTexture {
    return this.#device.createTexture({
      size: [this.#size.width, this.#size.height],
      format: this.#format,
      usage: GPUTextureUsage.RENDER_ATTACHMENT | GPUTextureUsage.COPY_SRC,
    });
  }

  #sampled(texture: GPUTexture): Sampled {
    const group = this.#device.createBindGroup({
      layout: this.#textureLayout,
      entries: [{ binding: 0, resource: texture.createView() }],
    });
    return { texture, group, width: texture.width, height: texture.height };
  }

  #instanceBuffer(bytes: number): GPUBuffer {
    if (this.#instances !== null && this.#instances.size >= bytes) return this.#instances;
    this.#instances?.destroy();
    const size = Math.max(INSTANCE_BYTES * 64, 2 ** Math.ceil(Math.log2(bytes)));
    this.#instances = this.#device.createBuffer({
      size,
      usage: GPUBufferUsage.VERTEX | GPUBufferUsage.COPY_DST,
    });
    return this.#instances;
  }

  #groupFor(t: TextureRef): GPUBindGroup {
    switch (t.kind) {
      case 'none':
        return this.#blank.group;
      case 'surface':
        return (this.#surfaces.get(t.id) ?? this.#blank).group;
      case 'title':
        return (this.#titles.get(t.key) ?? this.#blank).group;
      case 'glyphs':
        this.#glyphs ??= this.#upload(renderGlyphAtlas(this.#dpr));
        return this.#glyphs.group;
    }
  }

  /** A 2D-canvas bitmap as a sampled texture (straight alpha, as the shader expects). */
  #upload(source: OffscreenCanvas): Sampled {
    const texture = this.#device.createTexture({
      size: [source.width, source.height],
      format: 'rgba8unorm',
      usage: GPUTextureUsage.TEXTURE_BINDING | GPUTextureUsage.COPY_DST | GPUTextureUsage.RENDER_ATTACHMENT,
    });
    this.#device.queue.copyExternalImageToTexture({ source }, { texture, premultipliedAlpha: false }, [
      source.width,
      source.height,
    ]);
    return this.#sampled(texture);
  }

  #title(w: FrameWindow): TitleTexture | null {
    const key = titleKey(w.title, w.focused);
    let t = this.#titles.get(key);
    if (t === undefined) {
      const bitmap = renderTitle(w.title, w.focused, this.#dpr);
      t = bitmap === null ? null : { ...this.#upload(bitmap.canvas), key, cssWidth: bitmap.cssWidth };
      this.#titles.set(key, t);
    }
    return t;
  }

  /** Uploads what changed in each window's surface; destroys the textures of windows that are gone. */
  #syncSurfaces(windows: readonly FrameWindow[]): void {
    const live = new Set<number>();
    for (const w of windows) {
      live.add(w.id);
      if (w.content === null || !validSurface(w.content)) this.#dropSurface(w.id);
      else this.#uploadSurface(w.id, w.content);
    }
    for (const id of [...this.#surfaces.keys()]) if (!live.has(id)) this.#dropSurface(id);
  }

  #dropSurface(id: number): void {
    this.#surfaces.get(id)?.texture.destroy();
    this.#surfaces.delete(id);
  }

  #uploadSurface(id: number, c: SurfaceContent): void {
    let held = this.#surfaces.get(id);
    const plan = planUpload(held, c);
    if (plan.recreate || held === undefined) {
      held?.texture.destroy();
      const texture = this.#device.createTexture({
        size: [c.width, c.height],
        format: 'rgba8unorm',
        // copyExternalImageToTexture (a bitmap) needs RENDER_ATTACHMENT as well.
        usage:
          GPUTextureUsage.TEXTURE_BINDING |
          GPUTextureUsage.COPY_DST |
          (c.bitmap === undefined ? 0 : GPUTextureUsage.RENDER_ATTACHMENT),
      });
      held = { ...this.#sampled(texture), version: c.version };
      this.#surfaces.set(id, held);
    }
    if (c.bitmap !== undefined) {
      // The copy is taken now, so the compositor may close the bitmap once it is replaced.
      if (plan.rects.length > 0)
        this.#device.queue.copyExternalImageToTexture(
          { source: c.bitmap as ImageBitmap },
          { texture: held.texture, premultipliedAlpha: false },
          [c.width, c.height],
        );
      held.version = c.version;
      return;
    }
    for (const r of plan.rects) {
      const span = rowSpan(c, r);
      this.#device.queue.writeTexture(
        { texture: held.texture, origin: { x: r.x, y: r.y } },
        span.data,
        { offset: span.offset, bytesPerRow: span.bytesPerRow },
        { width: r.w, height: r.h },
      );
    }
    held.version = c.version;
  }
}
