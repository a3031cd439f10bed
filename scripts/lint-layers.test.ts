// Proves the layer rule in eslint.config.js has teeth: a throwaway tree with
// forbidden imports must fail lint, and the allowed shapes must pass.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = resolve(import.meta.dirname, '..');
const depcruise = join(repo, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');
let root = '';

const files: Record<string, string> = {
  'src/abi/status.ts': 'export const OK = 0;\n',
  'src/workers/stub.ts': "import { OK } from '../abi/status.ts';\nexport const ok = OK;\n",
  'src/fs/server.ts': "import { ok } from '../workers/stub.ts';\nexport const served = ok;\n",
  'src/host/boot.ts': 'export const booted = true;\n',
  'src/kernel/bad.ts': "import { booted } from '../host/boot.ts';\nexport const k = booted;\n",
  'src/fs/reaches-kernel.ts': "import { k } from '../kernel/bad.ts';\nexport const f = k;\n",
  'src/apps/bench/deep.ts': "import { k } from '../../kernel/bad.ts';\nexport const d = k;\n",
  'src/apps/reaches-fs.ts': "import { served } from '../fs/server.ts';\nexport const a = served;\n",
  'src/abi/cycle-a.ts': "import { b } from './cycle-b.ts';\nexport const a = () => b();\n",
  'src/abi/cycle-b.ts': "import { a } from './cycle-a.ts';\nexport const b = () => a();\n",
  'src/stray/loose.ts': 'export const loose = 1;\n',
  'src/kernel/runs-domains.test.ts': "import { ok } from '../workers/stub.ts';\nexport const t = ok;\n",
  'src/kernel/runs-domains.ts': "import { ok } from '../workers/stub.ts';\nexport const t = ok;\n",
};

async function lint(path: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: root, overrideConfigFile: join(repo, 'eslint.config.js') });
  const [result] = await eslint.lintFiles([join(root, path)]);
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'fatal'}: ${m.message}`);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'tessera-lint-'));
  // The layer patterns are relative to the project root; point them at the fixture.
  process.env['ESLINT_PLUGIN_BOUNDARIES_ROOT_PATH'] = root;
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
});
afterAll(() => {
  delete process.env['ESLINT_PLUGIN_BOUNDARIES_ROOT_PATH'];
  rmSync(root, { recursive: true, force: true });
});

describe('layer rule (STYLE.md import table, default deny)', () => {
  it('allows abi <- workers <- fs', async () => {
    expect(await lint('src/workers/stub.ts')).toEqual([]);
    expect(await lint('src/fs/server.ts')).toEqual([]);
  });

  it('rejects kernel importing host', async () => {
    const errors = await lint('src/kernel/bad.ts');
    expect(errors).toEqual([expect.stringMatching(/^boundaries\/dependencies: .*"kernel".*"host"/)]);
  });

  it('rejects a server importing the kernel', async () => {
    expect(await lint('src/fs/reaches-kernel.ts')).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"fs".*"kernel"/),
    ]);
  });

  it("rejects one domain reaching into another's internals", async () => {
    expect(await lint('src/apps/reaches-fs.ts')).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"apps".*"fs"/),
    ]);
  });

  it('classifies a nested folder by its layer, even one named like a top-level folder', async () => {
    expect(await lint('src/apps/bench/deep.ts')).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"apps".*"kernel"/),
    ]);
  });

  it('rejects import cycles', () => {
    const cruise = spawnSync(
      process.execPath,
      [depcruise, 'src', '--config', join(repo, '.dependency-cruiser.cjs')],
      {
        cwd: root,
        encoding: 'utf8',
      },
    );
    expect(cruise.status).not.toBe(0);
    expect(cruise.stdout).toMatch(/no-circular: src\/abi\/cycle-a\.ts → \s*src\/abi\/cycle-b\.ts/);
  });

  it('lets kernel tests, and only tests, import the domain runtime', async () => {
    expect(await lint('src/kernel/runs-domains.test.ts')).toEqual([]);
    expect(await lint('src/kernel/runs-domains.ts')).toEqual([
      expect.stringMatching(/^boundaries\/dependencies: .*"kernel".*"workers"/),
    ]);
  });

  it('rejects a file in src/ outside every layer', async () => {
    expect(await lint('src/stray/loose.ts')).toContainEqual(
      expect.stringMatching(/^boundaries\/no-unknown-files:/),
    );
  });
});
