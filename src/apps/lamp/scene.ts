// What the lamp app draws, as one function of a pixel: a gradient (red across, green
// down, blue half) with a white disc of light where the user last pressed, and a soft
// glow around it. The WebGPU path's fragment shader (LAMP_WGSL) and the 2D fallback
// (shadeInto) compute the same thing, so tests expect the same pixels from either.
// Layer: apps, pure logic.

/** The disc's radius and the glow's reach beyond it, px. */
export const LIGHT_RADIUS = 24;
export const GLOW_REACH = 96;

export interface Light {
  readonly x: number;
  readonly y: number;
}

/** The colour of the pixel whose centre is (px, py), each channel 0..1. */
export function shade(
  px: number,
  py: number,
  width: number,
  height: number,
  light: Light,
): [number, number, number] {
  const d = Math.hypot(px - light.x, py - light.y);
  if (d <= LIGHT_RADIUS) return [1, 1, 1];
  const glow = 0.5 * Math.max(0, 1 - (d - LIGHT_RADIUS) / GLOW_REACH);
  const base = [px / width, py / height, 0.5];
  return base.map((c) => c + (1 - c) * glow) as [number, number, number];
}

/** The whole picture into `pixels` (RGBA8, width×height, opaque): the fallback path. */
export function shadeInto(pixels: Uint8ClampedArray, width: number, height: number, light: Light): void {
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++) {
      const [r, g, b] = shade(x + 0.5, y + 0.5, width, height, light);
      const at = (y * width + x) * 4;
      pixels[at] = Math.round(r * 255);
      pixels[at + 1] = Math.round(g * 255);
      pixels[at + 2] = Math.round(b * 255);
      pixels[at + 3] = 255;
    }
}

/** `shade` as WGSL: a full-screen triangle whose fragments each compute their pixel. */
export const LAMP_WGSL = /* wgsl */ `
struct Params { size: vec2f, light: vec2f }
@group(0) @binding(0) var<uniform> p: Params;

@vertex fn vs(@builtin(vertex_index) i: u32) -> @builtin(position) vec4f {
  let corners = array(vec2f(-1.0, -3.0), vec2f(-1.0, 1.0), vec2f(3.0, 1.0));
  return vec4f(corners[i], 0.0, 1.0);
}

@fragment fn fs(@builtin(position) at: vec4f) -> @location(0) vec4f {
  let d = distance(at.xy, p.light);
  if (d <= ${LIGHT_RADIUS.toFixed(1)}) { return vec4f(1.0); }
  let glow = 0.5 * max(0.0, 1.0 - (d - ${LIGHT_RADIUS.toFixed(1)}) / ${GLOW_REACH.toFixed(1)});
  let base = vec3f(at.x / p.size.x, at.y / p.size.y, 0.5);
  return vec4f(base + (vec3f(1.0) - base) * glow, 1.0);
}
`;
