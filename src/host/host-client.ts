// The page's side of the host-exchange protocol (src/abi/host-protocol.ts) over the host
// link: requests with ids, streams with credit, results. Layer: host. What init sends is
// decoded and checked like any untrusted bytes; a message for no live request is
// ignored, and a request is settled exactly once (its result, or the link closing).
import type { FilesApi, ProcApi, RunOptions, RunResult } from '../abi/automation.ts';
import {
  decodeHostMessage,
  encodeHostMessage,
  errnoName,
  HOST_PROTOCOL,
  HostErrno,
  HostOp,
  HostStream,
  type HostMessage,
} from '../abi/host-protocol.ts';
import { concatBytes } from '../abi/bytes.ts';
import { ReceiveWindow, SendWindow } from '../abi/host-window.ts';
import type { HostLink } from './host-link.ts';

/** A request that init refused or that failed: its errno's name leads the message. */
export class HostRequestError extends Error {
  constructor(
    readonly errno: number,
    detail: string,
  ) {
    super(`${errnoName(errno)}: ${detail}`);
    this.name = 'HostRequestError';
  }
}

interface Live {
  readonly input: SendWindow;
  readonly outputs: Map<number, { window: ReceiveWindow; sink: (data: Uint8Array) => void; ended: boolean }>;
  settle(result: { status: number; exit: number; detail: string }): void;
}

type RequestOp = Extract<HostMessage, { op: 16 | 17 | 32 }>;
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

export class HostClient {
  readonly #link: HostLink;
  readonly #live = new Map<number, Live>();
  #nextId = 1;

  constructor(link: HostLink) {
    this.#link = link;
    link.onMessage((bytes) => this.#onMessage(bytes));
    link.onClose(() => {
      for (const [id, req] of this.#live) {
        this.#live.delete(id);
        req.settle({ status: HostErrno.EPIPE, exit: 0, detail: 'the host link closed' });
      }
    });
  }

  /** The `tessera.files` API. */
  get files(): FilesApi {
    return {
      import: async (path, tar) => {
        const r = await this.#request({ op: HostOp.FILES_IMPORT, path }, { input: tar });
        return r.detail;
      },
      export: async (path, snapshot = '') => {
        const parts: Uint8Array[] = [];
        await this.#request(
          { op: HostOp.FILES_EXPORT, path, snapshot },
          { output: (d) => parts.push(d.slice()) },
        );
        return concatBytes(parts);
      },
    };
  }

  /** The `tessera.proc` API. */
  get proc(): ProcApi {
    return {
      run: (options) => this.#run(options),
    };
  }

  async #run(o: RunOptions): Promise<RunResult> {
    const stdout: Uint8Array[] = [];
    const stderr: Uint8Array[] = [];
    const t0 = performance.now();
    const r = await this.#request(
      {
        op: HostOp.PROC_RUN,
        program: o.program,
        argv: o.argv ?? [o.program.split('/').pop() ?? o.program],
        env: o.env ?? [],
        preopens: o.preopens ?? [],
      },
      {
        input: o.stdin ?? new Uint8Array(0),
        output: (d) => (o.onStdout ? o.onStdout(d.slice()) : stdout.push(d.slice())),
        error: (d) => (o.onStderr ? o.onStderr(d.slice()) : stderr.push(d.slice())),
      },
    );
    return {
      exitCode: r.exit,
      stdout: concatBytes(stdout),
      stderr: concatBytes(stderr),
      ms: performance.now() - t0,
    };
  }

  /** Sends a request, streams its input and collects its outputs; rejects unless its errno is 0. */
  #request(
    m: WithoutId<RequestOp>,
    streams: {
      input?: Uint8Array;
      output?: (data: Uint8Array) => void;
      error?: (data: Uint8Array) => void;
    },
  ): Promise<{ exit: number; detail: string }> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      const outputs: Live['outputs'] = new Map();
      const add = (stream: number, sink?: (data: Uint8Array) => void): void => {
        if (sink) outputs.set(stream, { window: new ReceiveWindow(), sink, ended: false });
      };
      add(HostStream.OUTPUT, streams.output);
      add(HostStream.ERROR, streams.error);
      const live: Live = {
        input: new SendWindow(),
        outputs,
        settle: ({ status, exit, detail }) => {
          live.input.close();
          if (status === HostErrno.OK) resolve({ exit, detail });
          else reject(new HostRequestError(status, detail));
        },
      };
      this.#live.set(id, live);
      const sent = this.#send({ ...m, id } as HostMessage);
      if (!sent) return;
      if (streams.input) void this.#stream(id, live.input, streams.input);
    });
  }

  /** Sends `data` on INPUT in chunks the window allows, then its end. */
  async #stream(id: number, window: SendWindow, data: Uint8Array): Promise<void> {
    for (let at = 0; at < data.length; at += HOST_PROTOCOL.CHUNK_MAX) {
      if (!(await window.take())) return;
      const piece = data.subarray(at, at + HOST_PROTOCOL.CHUNK_MAX);
      if (!this.#send({ op: HostOp.CHUNK, id, stream: HostStream.INPUT, data: piece })) return;
    }
    this.#send({ op: HostOp.END, id, stream: HostStream.INPUT });
  }

  /** Sends one message; on failure settles its request with the reason. */
  #send(m: HostMessage): boolean {
    const sent = this.#link.send(encodeHostMessage(m));
    if (sent.ok) return true;
    const live = this.#live.get(m.id);
    this.#live.delete(m.id);
    live?.settle({ status: HostErrno.EPIPE, exit: 0, detail: sent.error });
    return false;
  }

  #onMessage(bytes: Uint8Array): void {
    const decoded = decodeHostMessage(bytes, 'init');
    if (!decoded.ok) {
      const id = decoded.error.id;
      const live = id === null ? undefined : this.#live.get(id);
      if (live && id !== null) {
        this.#live.delete(id);
        live.settle({
          status: HostErrno.EPROTO,
          exit: 0,
          detail: `init sent a malformed message: ${decoded.error.message}`,
        });
      }
      return;
    }
    const m = decoded.value;
    const live = this.#live.get(m.id);
    if (!live) return;
    switch (m.op) {
      case HostOp.CHUNK: {
        const out = live.outputs.get(m.stream);
        if (!out || out.ended || !out.window.received()) return;
        out.sink(m.data);
        const credit = out.window.consumed();
        if (credit > 0) this.#send({ op: HostOp.CREDIT, id: m.id, stream: m.stream, count: credit });
        return;
      }
      case HostOp.END: {
        const out = live.outputs.get(m.stream);
        if (out) out.ended = true;
        return;
      }
      case HostOp.CREDIT:
        if (m.stream === HostStream.INPUT) live.input.grant(m.count);
        return;
      case HostOp.RESULT:
        this.#live.delete(m.id);
        live.settle(m);
        return;
      default:
        return;
    }
  }
}
