// The bare baselines of the wasi benchmark: a compiled module run in place with the shim
// (a new WASI instance, instantiate, _start), no Tessera at all. Each message is one run;
// the reply is its exit code once `_start` has returned.
import { ConsoleStdout, OpenFile, File as ShimFile, WASI } from '@bjorn3/browser_wasi_shim';

self.onmessage = async (e: MessageEvent<WebAssembly.Module>) => {
  const out: string[] = [];
  const fds = [
    new OpenFile(new ShimFile([])),
    ConsoleStdout.lineBuffered((line) => out.push(line)),
    ConsoleStdout.lineBuffered((line) => out.push(line)),
  ];
  const wasi = new WASI(['hello'], [], fds);
  const instance = await WebAssembly.instantiate(e.data, { wasi_snapshot_preview1: wasi.wasiImport });
  const code = wasi.start(instance as { exports: { memory: WebAssembly.Memory; _start: () => unknown } });
  self.postMessage({ code, out });
};
