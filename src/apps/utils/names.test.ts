import { describe, expect, it } from 'vitest';
import { UTILITIES as INSTALLED } from '../../abi/programs.ts';
import { UTILITIES } from './main.ts';

describe('the utilities /bin names', () => {
  it('are exactly the ones the program runs', () => {
    expect([...UTILITIES.keys()].sort()).toEqual([...INSTALLED].sort());
  });
});
