// utils: Tessera's TypeScript core utilities (issue 7, ADR 0022) — ps, kill, top, snap
// and caps — one program that runs as whichever argv[0] names, each run its own process.
// They are TypeScript rather than C because what they show is Tessera's own: the process
// tree (process.list), handles and rights (object.info), snapshots (the fs protocol's
// dir.snapshot family), none of which WASI can name. Layer: apps.
//
// The shell finds them in /bin as files that read `#!tessera:utils` and starts this
// program with argv and env as for any command, and these initial handles:
//   0 stdin, 1 stdout, 2 stderr: channel ends carrying bytes, as a WASI program's stdio;
//   3 the job's control channel (pty-protocol.ts) when the job runs in the foreground on
//     the terminal — the shell sends `size` events on it, and the program may send `mode`
//     requests (raw mode for top) — else 0;
//   4 on, what the utility needs and nothing else:
//     ps, top  an INSPECT-only Process handle on the root of the tree they show;
//     kill     Process handles (MANAGE, INSPECT) on the processes of the shell's jobs;
//     snap     the store's root Directory;
//     caps     nothing.
import { startDomain } from '../../workers/domain.ts';
import { runUtility } from './main.ts';

declare const self: DedicatedWorkerGlobalScope;

startDomain(runUtility, self);
