// The desktop benchmark's baseline: one postMessage hop from the page to a worker, timed
// as the desktop's key delivery is (the sender's performance.timeOrigin + now() against
// the receiver's), and answered with the difference.
self.addEventListener('message', (e: MessageEvent<number>) => {
  self.postMessage(performance.timeOrigin + performance.now() - e.data);
});
