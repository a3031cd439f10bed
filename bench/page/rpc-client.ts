// Page side of page -> worker calls (lib/rpc.ts): owns one benchmark worker, sends
// calls, matches replies. A worker that fails to load or throws rejects every call.
import { isRpcReply, type OpMap, type RpcCall } from '../lib/rpc.ts';

export class WorkerClient<Ops extends OpMap<Ops>> {
  readonly worker: Worker;
  readonly #pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  #nextId = 1;

  /** Takes ownership of `worker`; terminate() ends it. */
  constructor(worker: Worker, label: string) {
    this.worker = worker;
    worker.addEventListener('message', (e: MessageEvent<unknown>) => {
      if (!isRpcReply(e.data)) return;
      const call = this.#pending.get(e.data.id);
      this.#pending.delete(e.data.id);
      if (e.data.ok) call?.resolve(e.data.result);
      else call?.reject(new Error(`${label}: ${e.data.error}`));
    });
    worker.addEventListener('error', (e: ErrorEvent) => this.#failAll(new Error(`${label}: ${e.message}`)));
    worker.addEventListener('messageerror', () =>
      this.#failAll(new Error(`${label}: message could not be read`)),
    );
  }

  /** Calls `op` in the worker; `transfer` lists what to move there (ports, buffers). */
  call<K extends keyof Ops & string>(
    op: K,
    args: Ops[K]['args'],
    transfer: Transferable[] = [],
  ): Promise<Ops[K]['result']> {
    const id = this.#nextId++;
    const message: RpcCall = { kind: 'rpc-call', id, op, args };
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage(message, transfer);
    });
  }

  terminate(): void {
    this.worker.terminate();
    this.#failAll(new Error('worker terminated'));
  }

  #failAll(error: Error): void {
    for (const call of this.#pending.values()) call.reject(error);
    this.#pending.clear();
  }
}
