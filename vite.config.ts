import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * Cross-origin isolation: without these three headers the page gets no
 * SharedArrayBuffer, and Tessera's rings have nothing to live in.
 */
export const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/**
 * The core utilities (build/wasi/coreutils/*.wasm, from scripts/build-wasi.mjs) as
 * `bin/NAME` beside the page, with `bin/index.json` listing them; init installs them
 * into the store's /bin (src/apps/init/bin-install.ts).
 */
function coreutils(): Plugin {
  const dir = fileURLToPath(new URL('./build/wasi/coreutils', import.meta.url));
  return {
    name: 'tessera-coreutils',
    generateBundle() {
      const files = existsSync(dir)
        ? readdirSync(dir)
            .filter((f) => f.endsWith('.wasm'))
            .sort()
        : [];
      if (files.length === 0) this.warn('no core utilities in build/wasi/coreutils: run npm run build:wasi');
      const manifest = files.map((f) => {
        const source = readFileSync(`${dir}/${f}`);
        const name = f.slice(0, -'.wasm'.length);
        this.emitFile({ type: 'asset', fileName: `bin/${name}`, source });
        // The digest makes a rebuilt program a new manifest, so init installs it again.
        return { name, size: source.byteLength, sha256: createHash('sha256').update(source).digest('hex') };
      });
      this.emitFile({ type: 'asset', fileName: 'bin/index.json', source: JSON.stringify(manifest) });
    },
  };
}

export default defineConfig({
  plugins: [coreutils()],
  define: { __TESSERA_VERSION__: JSON.stringify(pkg.version) },
  server: { headers: ISOLATION_HEADERS },
  preview: { headers: ISOLATION_HEADERS },
  worker: { format: 'es' },
  resolve: {
    alias: [
      // The package's "module" field names a file it does not ship; its ES build is here.
      {
        find: /^@xterm\/headless$/,
        replacement: fileURLToPath(
          new URL('./node_modules/@xterm/headless/lib-headless/xterm-headless.mjs', import.meta.url),
        ),
      },
    ],
  },
  build: { target: 'es2022', sourcemap: true },
});
