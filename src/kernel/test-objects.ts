// A minimal kernel object for tests of the capability machinery.
// Layer: kernel (test support; imported only by *.test.ts).
import { ObjectType } from '../abi/objects.ts';
import { KernelObject } from './object.ts';

export class TestObject extends KernelObject {
  readonly type = ObjectType.TIMER;
  lastClosed = 0;

  raise(clear: number, set: number): void {
    this.updateSignals(clear, set);
  }

  protected override lastCapabilityClosed(): void {
    this.lastClosed++;
  }
}
