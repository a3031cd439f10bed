// bench-window: the desktop benchmark's app (bench/desktop). It opens one small window and
// logs, for every piece of text it receives, how long after the host saw the input it
// arrived ("delivered MS", from the event's `sent`, on the clock every thread shares:
// performance.timeOrigin + now()). Typing "@animate" makes it redraw its whole surface on
// every frame the compositor takes, "@still" stops that. Layer: apps.
//
// Initial handles: 0 its connection to the compositor. It exits when its window closes.
import { startDomain } from '../../workers/domain.ts';
import { Connection } from '../../workers/window-client.ts';

declare const self: DedicatedWorkerGlobalScope;

const WIDTH = 200;
const HEIGHT = 120;

startDomain(async (ctx) => {
  const connection = new Connection(ctx, ctx.handles[0] ?? 0);
  const window = await connection.open('Bench', WIDTH, HEIGHT);
  let frame = 0;
  let animating = false;
  const paint = () =>
    window.draw((pixels) => {
      const shade = (frame++ * 4) & 0xff;
      for (let i = 0; i < pixels.length; i += 4) {
        pixels[i] = shade;
        pixels[i + 1] = 96;
        pixels[i + 2] = 255 - shade;
        pixels[i + 3] = 255;
      }
      return undefined;
    });
  // draw() waits for the compositor to take the previous frame, so this runs at its pace.
  const animate = async (): Promise<void> => {
    while (animating) await paint();
  };
  await paint();
  for (;;) {
    const e = await connection.next();
    if (e === null || e.ev === 'closed') break;
    if (e.ev !== 'text') continue;
    const arrived = performance.timeOrigin + performance.now();
    if (e.data === '@animate') {
      if (!animating) {
        animating = true;
        void animate();
      }
    } else if (e.data === '@still') animating = false;
    else ctx.log('info', `delivered ${(arrived - e.sent).toFixed(3)}`);
  }
  animating = false;
  return 0;
}, self);
