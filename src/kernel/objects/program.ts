// Program: a capability to start a built-in program. spawn needs EXECUTE on one.
// Layer: kernel. Issue "Filesystem" adds programs loaded from files.
import { ObjectType } from '../../abi/objects.ts';
import { KernelObject } from '../object.ts';

export class Program extends KernelObject {
  readonly type = ObjectType.PROGRAM;
  readonly name: string;

  constructor(name: string) {
    super();
    this.name = name;
  }
}
