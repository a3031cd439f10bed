// Turning a GPU buffer copy of texture rows into tightly packed RGBA8: row padding removed,
// BGRA swizzled. Layer: gpu, pure logic for the WebGPU renderer's readPixels.

/** WebGPU's alignment for bytesPerRow in texture-to-buffer copies. */
export const COPY_ROW_ALIGNMENT = 256;

/** The padded bytes per row for copying `width` 4-byte texels to a buffer. */
export const alignedBytesPerRow = (width: number): number =>
  Math.ceil((width * 4) / COPY_ROW_ALIGNMENT) * COPY_ROW_ALIGNMENT;

/**
 * `height` rows of `width` texels from `src`, whose rows are `stride` bytes apart, as
 * tightly packed RGBA; with `bgra` the source is B, G, R, A and is swizzled.
 */
export function unpackRows(
  src: Uint8Array,
  width: number,
  height: number,
  stride: number,
  bgra: boolean,
): Uint8Array {
  const row = width * 4;
  const out = new Uint8Array(row * height);
  for (let y = 0; y < height; y++) out.set(src.subarray(y * stride, y * stride + row), y * row);
  if (bgra) {
    for (let i = 0; i < out.length; i += 4) {
      const b = out[i] as number;
      out[i] = out[i + 2] as number;
      out[i + 2] = b;
    }
  }
  return out;
}
