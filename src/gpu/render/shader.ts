// The WebGPU renderer's one shader: instanced quads (instances.ts gives the layout) whose
// fragment stage cuts a rounded rect out of each quad with a signed distance field, and
// fills it, shadows it, outlines it, textures it or paints the wallpaper gradient. Output
// is premultiplied alpha. Layer: gpu, WGSL source as a string.

/** WGSL for the quad pipeline: vertex `vs`, fragment `fs`. */
export const QUAD_SHADER = /* wgsl */ `
struct Uniforms {
  device: vec2f,   // canvas size, device px
  dpr: f32,
  cssHeight: f32,  // viewport height, CSS px (the wallpaper gradient spans it)
};
@group(0) @binding(0) var<uniform> u: Uniforms;
@group(1) @binding(0) var tex: texture_2d<f32>;

struct Instance {
  @location(0) rect: vec4f,
  @location(1) pivot: vec4f,
  @location(2) color: vec4f,
  @location(3) color2: vec4f,
  @location(4) radii: vec4f,
  @location(5) shape: vec4f,
  @location(6) cell: vec4f,
  @location(7) texel: vec4f,
  @location(8) mode: vec4f,
};

struct Varyings {
  @builtin(position) position: vec4f,
  @location(0) local: vec2f,
  @location(1) @interpolate(flat) color: vec4f,
  @location(2) @interpolate(flat) color2: vec4f,
  @location(3) @interpolate(flat) radii: vec4f,
  @location(4) @interpolate(flat) shape: vec4f,
  @location(5) @interpolate(flat) cell: vec4f,
  @location(6) @interpolate(flat) texel: vec4f,
  // mode, opacity, device px per CSS px of this quad, the quad's top (CSS px)
  @location(7) @interpolate(flat) misc: vec4f,
};

@vertex
fn vs(@builtin(vertex_index) v: u32, i: Instance) -> Varyings {
  var corners = array(vec2f(0, 0), vec2f(1, 0), vec2f(0, 1), vec2f(0, 1), vec2f(1, 0), vec2f(1, 1));
  let local = corners[v] * i.rect.zw;
  let screen = i.pivot.xy + (i.rect.xy + local - i.pivot.xy) * i.pivot.z;
  let device = screen * u.dpr;
  var out: Varyings;
  out.position = vec4f(device.x / u.device.x * 2 - 1, 1 - device.y / u.device.y * 2, 0, 1);
  out.local = local;
  out.color = i.color;
  out.color2 = i.color2;
  out.radii = i.radii;
  out.shape = i.shape;
  out.cell = i.cell;
  out.texel = i.texel;
  out.misc = vec4f(i.mode.x, i.pivot.w, u.dpr * i.pivot.z, i.rect.y);
  return out;
}

// Signed distance from p to a rounded box (centre-relative p, half size, radii tl tr br bl; y down).
fn roundedBox(p: vec2f, half: vec2f, radii: vec4f) -> f32 {
  let r = select(select(radii.w, radii.z, p.x >= 0), select(radii.x, radii.y, p.x >= 0), p.y < 0);
  let q = abs(p) - half + vec2f(r);
  return min(max(q.x, q.y), 0) + length(max(q, vec2f(0))) - r;
}

// How much of a device pixel lies inside, at distance d (CSS px) from the edge.
fn coverage(d: f32, pxPerCss: f32) -> f32 {
  return clamp(0.5 - d * pxPerCss, 0, 1);
}

fn premultiplied(c: vec4f) -> vec4f {
  return vec4f(c.rgb * c.a, c.a);
}

@fragment
fn fs(in: Varyings) -> @location(0) vec4f {
  let mode = u32(in.misc.x);
  let k = in.misc.z;
  let half = in.shape.zw * 0.5;
  let d = roundedBox(in.local - in.shape.xy - half, half, in.radii);
  var out: vec4f;
  switch mode {
    case 0u: { // fill
      out = premultiplied(in.color) * coverage(d, k);
    }
    case 1u: { // shadow: a Gaussian (σ = texel.w) falling off across the shape's edge
      let x = clamp(d / (in.texel.w * 1.41421356), -3, 3);
      out = premultiplied(in.color) * (0.5 - 0.5 * tanh(1.1283792 * x + 0.1009 * x * x * x));
    }
    case 2u: { // ring of width texel.w inside the edge
      out = premultiplied(in.color) * (coverage(d, k) - coverage(d + in.texel.w, k));
    }
    case 3u: { // texture over the background colour; straight-alpha texels
      let t = in.local * in.texel.z + in.texel.xy;
      var s = vec4f(0);
      if (all(t >= in.cell.xy) && all(t < in.cell.zw)) {
        let size = vec2i(textureDimensions(tex)) - 1;
        s = textureLoad(tex, clamp(vec2i(floor(t)), vec2i(0), size), 0);
      }
      out = (premultiplied(s) + premultiplied(in.color) * (1 - s.a)) * coverage(d, k);
    }
    default: { // wallpaper
      let t = clamp((in.misc.w + in.local.y) / u.cssHeight, 0, 1);
      out = premultiplied(mix(in.color, in.color2, t));
    }
  }
  return out * in.misc.y;
}
`;
