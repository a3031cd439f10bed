// Memory: a shared memory region a domain can map (a SharedArrayBuffer the kernel posts
// to it). Layer: kernel. The platform cannot unmap or write-protect a SharedArrayBuffer
// once a worker has it, so rights and revocation govern handing it out, nothing after.
import { ObjectType } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

export class Memory extends KernelObject {
  readonly type = ObjectType.MEMORY;
  readonly buffer: SharedArrayBuffer;

  constructor(size: number) {
    super();
    this.buffer = new SharedArrayBuffer(size);
  }

  get size(): number {
    return this.buffer.byteLength;
  }
}
