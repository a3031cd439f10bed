// The operations the raw OPFS worker (worker/opfs.worker.ts) offers the page
// (fs/main.ts): the platform baselines of the fs benchmark. Each returns the
// milliseconds its timed part took; what is timed is documented per operation.

export interface OpfsOps {
  /** Creates `file` in `dir` and writes `bytes` of noise in `io` pieces, then flush(): all timed. */
  'seq-write': { args: { dir: string; file: string; bytes: number; io: number }; result: number };
  /** Reads `file` back in `io` pieces (timed), then checks it against what seq-write wrote. */
  'seq-read': { args: { dir: string; file: string; bytes: number; io: number }; result: number };
  /** `count` files of `bytes` each: getFileHandle(create), createSyncAccessHandle, write, close. */
  'small-create': { args: { dir: string; count: number; bytes: number }; result: number };
  /** Removes `dir` and everything in it (not timed; NotFound is fine). */
  remove: { args: { dir: string }; result: null };
}
