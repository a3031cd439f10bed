// Worker side of page -> worker calls (lib/rpc.ts): dispatches each call to its
// handler and replies with the result, or with the error a handler threw. Messages
// that are not calls are left to the worker's other listeners.
import { isRpcCall, type OpMap, type RpcReply } from '../lib/rpc.ts';

export type Handlers<Ops extends OpMap<Ops>> = {
  readonly [K in keyof Ops]: (args: Ops[K]['args']) => Ops[K]['result'] | Promise<Ops[K]['result']>;
};

export function serve<Ops extends OpMap<Ops>>(handlers: Handlers<Ops>): void {
  const table = new Map<string, (args: unknown) => unknown>(Object.entries(handlers));
  self.addEventListener('message', (e: MessageEvent<unknown>) => {
    if (!isRpcCall(e.data)) return;
    const { id, op, args } = e.data;
    const reply = (r: RpcReply): void => self.postMessage(r);
    const handler = table.get(op);
    if (handler === undefined) {
      reply({ kind: 'rpc-reply', id, ok: false, error: `no operation ${op}` });
      return;
    }
    Promise.resolve()
      .then(() => handler(args))
      .then(
        (result) => reply({ kind: 'rpc-reply', id, ok: true, result }),
        (error: unknown) => reply({ kind: 'rpc-reply', id, ok: false, error: describe(error) }),
      );
  });
}

const describe = (error: unknown): string =>
  error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error);
