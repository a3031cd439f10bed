// Checks that the browser the suite launches (scripts/chromium.ts) gives Tessera the
// platform it is built on. If one of these fails, the flags or the Chromium package
// changed, and the failures elsewhere are not Tessera's.
import { expect, test, type Page } from '@playwright/test';

/** Decodes a PNG in the page and returns the RGBA pixel at (x, y). */
async function pixelAt(page: Page, png: Buffer, x: number, y: number): Promise<number[]> {
  return page.evaluate(
    async ({ b64, x, y }) => {
      const blob = await (await fetch(`data:image/png;base64,${b64}`)).blob();
      const bitmap = await createImageBitmap(blob);
      const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0);
      return Array.from(ctx.getImageData(x, y, 1, 1).data);
    },
    { b64: png.toString('base64'), x, y },
  );
}

test('a WebGPU adapter exists and a WebGPU canvas presents', async ({ page }) => {
  await page.goto('/');
  const adapter = await page.evaluate(async () => {
    const a = await navigator.gpu?.requestAdapter();
    return a ? { architecture: a.info.architecture } : null;
  });
  expect(adapter, 'navigator.gpu.requestAdapter() returned null').not.toBeNull();

  await page.evaluate(async () => {
    const canvas = document.createElement('canvas');
    canvas.id = 'gpu-check';
    canvas.width = canvas.height = 64;
    canvas.style.cssText = 'position:fixed;left:0;top:0;width:64px;height:64px';
    document.body.append(canvas);
    const adapter = await navigator.gpu.requestAdapter();
    if (!adapter) throw new Error('no adapter');
    const device = await adapter.requestDevice();
    const context = canvas.getContext('webgpu');
    if (!context) throw new Error('no webgpu context');
    context.configure({ device, format: navigator.gpu.getPreferredCanvasFormat(), alphaMode: 'opaque' });
    const encoder = device.createCommandEncoder();
    encoder
      .beginRenderPass({
        colorAttachments: [
          {
            view: context.getCurrentTexture().createView(),
            clearValue: { r: 1, g: 0, b: 0, a: 1 },
            loadOp: 'clear',
            storeOp: 'store',
          },
        ],
      })
      .end();
    device.queue.submit([encoder.finish()]);
    await device.queue.onSubmittedWorkDone();
  });
  // Presentation happens asynchronously: poll the screenshot until the red shows.
  await expect
    .poll(async () => pixelAt(page, await page.locator('#gpu-check').screenshot(), 32, 32))
    .toEqual([255, 0, 0, 255]);
});

test('OPFS sync access handles work in a dedicated worker', async ({ page }) => {
  await page.goto('/');
  const text = await page.evaluate(async () => {
    const source = `
      const root = await navigator.storage.getDirectory();
      const file = await root.getFileHandle('platform-check', { create: true });
      const handle = await file.createSyncAccessHandle();
      handle.truncate(0);
      handle.write(new TextEncoder().encode('tessera'), { at: 0 });
      handle.flush();
      const out = new Uint8Array(handle.getSize());
      handle.read(out, { at: 0 });
      handle.close();
      await root.removeEntry('platform-check');
      postMessage(new TextDecoder().decode(out));`;
    const url = URL.createObjectURL(new Blob([source], { type: 'text/javascript' }));
    const worker = new Worker(url, { type: 'module' });
    try {
      return await new Promise<string>((resolve, reject) => {
        worker.onmessage = (e: MessageEvent<string>) => resolve(e.data);
        worker.onerror = (e) => reject(new Error(e.message));
      });
    } finally {
      worker.terminate();
    }
  });
  expect(text).toBe('tessera');
});
