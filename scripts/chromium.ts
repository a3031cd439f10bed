// How every browser test and benchmark launches Chromium: Debian's binary (Playwright
// cannot download its own here) and the flags measured in ../shared/notes to give
// SharedArrayBuffer, OPFS and a WebGPU adapter that can present to a canvas.
export const CHROMIUM_PATH = process.env['TESSERA_CHROMIUM'] ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // WebGPU: an adapter at all (SwiftShader here), and canvases that present.
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-vulkan=swiftshader',
  '--use-angle=swiftshader',
];
