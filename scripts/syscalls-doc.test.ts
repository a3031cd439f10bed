import { readFileSync } from 'node:fs';
import { format } from 'prettier';
import { expect, it } from 'vitest';
import { SYSCALLS } from '../src/abi/sys.ts';
import { renderSyscallsDoc, SYSCALLS_DOC } from './syscalls-doc.ts';

it('docs/syscalls.md matches the syscall table (run `npm run docs:syscalls` if not)', async () => {
  const expected = await format(renderSyscallsDoc(), { parser: 'markdown', printWidth: 110 });
  expect(readFileSync(SYSCALLS_DOC, 'utf8')).toBe(expected);
});

it('documents every syscall', () => {
  const doc = readFileSync(SYSCALLS_DOC, 'utf8');
  for (const def of SYSCALLS) expect(doc).toContain(`### \`${def.name}\` (${def.num})`);
});
