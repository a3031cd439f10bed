// Message shapes for page -> worker calls in benchmarks (page/rpc-client.ts sends,
// worker/serve.ts answers). Benchmark code is trusted; the shapes only keep calls
// apart from the traffic being measured, which shares the same message events.

/** Describes a worker's operations: each name maps to its argument and result types. */
export type OpMap<T> = { [K in keyof T]: { args: unknown; result: unknown } };

export interface RpcCall {
  readonly kind: 'rpc-call';
  readonly id: number;
  readonly op: string;
  readonly args: unknown;
}

export type RpcReply =
  | { readonly kind: 'rpc-reply'; readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly kind: 'rpc-reply'; readonly id: number; readonly ok: false; readonly error: string };

const hasKind = (data: unknown, kind: string): data is { kind: string } =>
  typeof data === 'object' && data !== null && (data as { kind?: unknown }).kind === kind;

export const isRpcCall = (data: unknown): data is RpcCall => hasKind(data, 'rpc-call');
export const isRpcReply = (data: unknown): data is RpcReply => hasKind(data, 'rpc-reply');
