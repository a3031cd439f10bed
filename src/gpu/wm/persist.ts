// Window geometry that survives a reload: for each app (by its stable app key) the rect it
// had when normal, its placement and its workspace, as versioned JSON. Layer: gpu, pure
// logic. The stored text is untrusted (another version, another program, a corrupt
// store): parseLayout checks every field and answers an error, never a throw or a NaN.
import { err, ok, type Result } from '../../abi/result.ts';
import { MAX_COORD, type Rect } from './geometry.ts';
import { WORKSPACE_COUNT, type Placement } from './scene.ts';
import { isSnapZone } from './snap.ts';

/** Tags the JSON so that some other program's data is not mistaken for a layout. */
export const LAYOUT_FORMAT = 'tessera.wm.layout';
export const LAYOUT_VERSION = 1;
/** Limits on what parseLayout accepts. */
export const MAX_SAVED_WINDOWS = 256;
export const MAX_APP_KEY_LENGTH = 128;
export const MAX_LAYOUT_CHARS = 1 << 18;

/** Where an app's window goes when it opens again. */
export interface SavedWindow {
  /** The rect it has when normal (not maximized or snapped). */
  readonly rect: Rect;
  readonly placement: Placement;
  readonly workspace: number;
}

/** Saved windows by app key. */
export type Layout = ReadonlyMap<string, SavedWindow>;

/** The layout as JSON text for a settings store. */
export function serializeLayout(layout: Layout): string {
  const windows = [...layout].map(([app, s]) => ({
    app,
    rect: { x: s.rect.x, y: s.rect.y, w: s.rect.w, h: s.rect.h },
    state: s.placement.kind,
    ...(s.placement.kind === 'snapped' ? { zone: s.placement.zone } : {}),
    workspace: s.workspace,
  }));
  return JSON.stringify({ format: LAYOUT_FORMAT, version: LAYOUT_VERSION, windows });
}

type Fields = Readonly<Record<string, unknown>>;

const isObject = (v: unknown): v is Fields => typeof v === 'object' && v !== null && !Array.isArray(v);

function integer(o: Fields, key: string, lo: number, hi: number, at: string): Result<number> {
  const v = o[key];
  return typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi
    ? ok(v)
    : err(`${at}.${key}: expected an integer from ${lo} to ${hi}`);
}

function parseRect(v: unknown, at: string): Result<Rect> {
  if (!isObject(v)) return err(`${at}: expected an object {x, y, w, h}`);
  const x = integer(v, 'x', -MAX_COORD, MAX_COORD, at);
  if (!x.ok) return x;
  const y = integer(v, 'y', -MAX_COORD, MAX_COORD, at);
  if (!y.ok) return y;
  const w = integer(v, 'w', 1, MAX_COORD, at);
  if (!w.ok) return w;
  const h = integer(v, 'h', 1, MAX_COORD, at);
  if (!h.ok) return h;
  return ok({ x: x.value, y: y.value, w: w.value, h: h.value });
}

function parsePlacement(o: Fields, at: string): Result<Placement> {
  switch (o['state']) {
    case 'normal':
    case 'maximized':
      return ok({ kind: o['state'] });
    case 'snapped':
      return isSnapZone(o['zone'])
        ? ok({ kind: 'snapped', zone: o['zone'] })
        : err(`${at}.zone: expected a snap zone (left, right, top-left, …)`);
    default:
      return err(`${at}.state: expected "normal", "maximized" or "snapped"`);
  }
}

function parseEntry(v: unknown, at: string): Result<[string, SavedWindow]> {
  if (!isObject(v)) return err(`${at}: expected an object`);
  const app = v['app'];
  if (typeof app !== 'string' || app.length === 0 || app.length > MAX_APP_KEY_LENGTH) {
    return err(`${at}.app: expected an app key of 1 to ${MAX_APP_KEY_LENGTH} characters`);
  }
  const rect = parseRect(v['rect'], `${at}.rect`);
  if (!rect.ok) return rect;
  const placement = parsePlacement(v, at);
  if (!placement.ok) return placement;
  const workspace = integer(v, 'workspace', 0, WORKSPACE_COUNT - 1, at);
  if (!workspace.ok) return workspace;
  return ok([app, { rect: rect.value, placement: placement.value, workspace: workspace.value }]);
}

/** Reads text written by serializeLayout; anything else is an error naming the first bad field. */
export function parseLayout(text: unknown): Result<Layout> {
  if (typeof text !== 'string') return err('layout: expected JSON text');
  if (text.length > MAX_LAYOUT_CHARS) return err(`layout: longer than ${MAX_LAYOUT_CHARS} characters`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return err('layout: not valid JSON');
  }
  if (!isObject(doc) || doc['format'] !== LAYOUT_FORMAT)
    return err(`layout: not a ${LAYOUT_FORMAT} document`);
  if (doc['version'] !== LAYOUT_VERSION)
    return err(`layout: version ${String(doc['version'])} is not supported`);
  const windows = doc['windows'];
  if (!Array.isArray(windows)) return err('layout.windows: expected an array');
  if (windows.length > MAX_SAVED_WINDOWS)
    return err(`layout.windows: more than ${MAX_SAVED_WINDOWS} entries`);
  const layout = new Map<string, SavedWindow>();
  for (const [i, v] of windows.entries()) {
    const entry = parseEntry(v, `layout.windows[${i}]`);
    if (!entry.ok) return entry;
    if (layout.has(entry.value[0])) return err(`layout.windows[${i}].app: "${entry.value[0]}" appears twice`);
    layout.set(...entry.value);
  }
  return ok(layout);
}
