// display.map: the host's screen goes to the first process that maps it, once; a handle
// without MAP, or to something else, is refused and takes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HostDisplay } from '../../abi/boot.ts';
import { DEFAULT_RIGHTS, ObjectType } from '../../abi/objects.ts';
import { Right, rights } from '../../abi/rights.ts';
import { Status } from '../../abi/status.ts';
import { attach, type DomainContext } from '../../workers/domain.ts';
import { Capability } from '../capability.ts';
import { Display } from '../objects/display.ts';
import { harness, type Harness } from '../test-harness.ts';

let h: Harness<DomainContext>;
let ctx: DomainContext;
let host: HostDisplay;

beforeEach(() => {
  h = harness(attach);
  // Stand-ins with the shape the grant decoder checks (the harness posts without cloning).
  host = {
    canvas: { getContext: () => null },
    port: { postMessage: () => undefined },
    width: 1280,
    height: 720,
    dpr: 2,
  };
  ctx = h.start('init', [Capability.root(new Display(host), DEFAULT_RIGHTS[ObjectType.DISPLAY])]).ctx;
});
afterEach(() => h.stop());

describe('display.map', () => {
  it('hands the canvas and port to the first caller, with the boot size; BAD_STATE ever after', async () => {
    const display = ctx.handles[0] as number;
    const dup = await ctx.sys.handleDuplicateAsync(display, DEFAULT_RIGHTS[ObjectType.DISPLAY]);
    expect(dup.status).toBe(Status.OK);
    const grant = await ctx.mapDisplay(display);
    if (typeof grant === 'number') throw new Error(`map failed: ${grant}`);
    expect(grant.canvas).toBe(host.canvas);
    expect(grant.port).toBe(host.port);
    expect([grant.width, grant.height, grant.dpr]).toEqual([1280, 720, 2]);
    expect(await ctx.mapDisplay(display)).toBe(Status.BAD_STATE);
    expect(await ctx.mapDisplay(dup.duplicate as number)).toBe(Status.BAD_STATE);
  });

  it('refuses a handle without MAP and a handle to another object, and the display stays untaken', async () => {
    const display = ctx.handles[0] as number;
    const weak = await ctx.sys.handleDuplicateAsync(display, rights(Right.DUPLICATE, Right.INSPECT));
    expect(weak.status).toBe(Status.OK);
    expect(await ctx.mapDisplay(weak.duplicate as number)).toBe(Status.ACCESS_DENIED);
    const timer = await ctx.sys.timerCreateAsync();
    expect(await ctx.mapDisplay(timer.timer as number)).toBe(Status.WRONG_TYPE);
    expect(await ctx.mapDisplay(0x7fff)).toBe(Status.BAD_HANDLE);
    const grant = await ctx.mapDisplay(display);
    expect(typeof grant).toBe('object');
  });
});
