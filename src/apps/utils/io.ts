// The utilities' stdio: text to the stdout and stderr channels, and the handles past
// stdio. Layer: apps. A missing stdout or stderr (handle 0) swallows what is written.
import { utf8Encode } from '../../abi/utf8.ts';
import type { DomainContext } from '../../workers/domain.ts';
import { envValue } from './text.ts';

export const STDIN = 0;
export const STDOUT = 1;
export const STDERR = 2;
/** The job's pty control channel, or 0 (utils.worker.ts's header). */
export const CONTROL = 3;
/** Where the handles a utility needs begin. */
export const FIRST_EXTRA = 4;

export class Io {
  readonly ctx: DomainContext;

  constructor(ctx: DomainContext) {
    this.ctx = ctx;
  }

  /** The handle at initial index `i`, or 0 when the spawner gave none there. */
  handle(i: number): number {
    return this.ctx.handles[i] ?? 0;
  }

  /** Writes `text` as UTF-8; a status other than OK means the reader went away. */
  async write(index: number, text: string): Promise<number> {
    const h = this.handle(index);
    if (h === 0 || text === '') return 0;
    return this.ctx.channel(h).writeAsync(utf8Encode(text));
  }

  writeBytes(index: number, bytes: Uint8Array): Promise<number> {
    const h = this.handle(index);
    return h === 0 ? Promise.resolve(0) : this.ctx.channel(h).writeAsync(bytes);
  }

  /** Each line with its '\n'. */
  lines(lines: readonly string[]): Promise<number> {
    return this.write(STDOUT, lines.map((l) => `${l}\n`).join(''));
  }

  /** A message on stderr, then `status`, for `return io.fail(...)`. */
  async fail(message: string, status = 1): Promise<number> {
    await this.write(STDERR, `${message}\n`);
    return status;
  }

  env(name: string): string | undefined {
    return envValue(this.ctx.env, name);
  }
}
