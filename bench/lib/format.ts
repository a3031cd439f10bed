// Number formatting for benchmark output: the runner's table and the pages' progress lines.

/** Whole numbers with grouped thousands from 1000 up; four significant digits below. */
export function formatNumber(value: number): string {
  if (Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(4)).toString();
}
