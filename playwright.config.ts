import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './scripts/chromium.ts';

const PORT = 4173;

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  forbidOnly: true,
  retries: 0,
  timeout: 30_000,
  reporter: process.env['CI'] ? 'line' : 'list',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    headless: true,
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'chromium' },
    // The desktop once more where Chromium has no WebGPU adapter: the compositor must
    // choose its Canvas2D renderer and draw the same desktop and shell (e2e/desktop.spec.ts, shell.spec.ts).
    {
      name: 'canvas2d',
      testMatch: ['desktop.spec.ts', 'shell.spec.ts'],
      use: {
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: CHROMIUM_ARGS.filter((a) => a !== '--enable-unsafe-webgpu'),
        },
      },
    },
  ],
  webServer: {
    command: `npm run build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}`,
    reuseExistingServer: !process.env['CI'],
    timeout: 120_000,
  },
});
