// The host's display bridge (ADR 0017): the page's screen and input devices. It hands a
// full-page canvas (as an OffscreenCanvas) and one end of a MessageChannel to the kernel
// with the boot request; the compositor domain draws on the canvas and talks to this
// bridge on the port. Layer: host.
//
// Input: keys and text come from a hidden textarea that keeps the focus, so composition
// (IME) and paste work as in any text field; pointer events come from the canvas, with
// capture while a button is down. The bridge forwards them untouched; the compositor
// routes them. Out: the cursor shape, the saved window layout (localStorage), and the
// accessibility mirror, a visually hidden list of the windows with their titles, focus
// and the text their apps publish, plus a live region that announces focus changes and
// notifications. The clipboard bridge (ADR 0018) serves the apps the compositor lets use
// it: writes go to the system clipboard, reads come from it when the page may read it,
// else from the last text copied or pasted here.
import type { DesktopApi, DesktopNotification } from '../abi/automation.ts';
import type { HostDisplay } from '../abi/boot.ts';
import {
  DISPLAY_LIMITS,
  decodeCompositorMessage,
  type CompositorToHost,
  type DesktopCall,
  type DesktopPixels,
  type DesktopShell,
  type DesktopStats,
  type DesktopWindow,
  type HostToCompositor,
  type KeyInput,
} from '../abi/display-protocol.ts';

const LAYOUT_KEY = 'tessera.desktop.layout';
/** How long an automation call waits for the compositor. */
const CALL_TIMEOUT_MS = 10_000;
/** Notifications kept for automation and the mirror. */
const NOTIFICATIONS_KEPT = 50;
/** A wheel event's delta per line and per page (WheelEvent.deltaMode 1 and 2), px. */
const WHEEL_LINE_PX = 16;

type Reply = Extract<CompositorToHost, { t: 'reply' }>;

const MODIFIERS: Readonly<Record<string, keyof Pick<KeyInput, 'ctrl' | 'alt' | 'shift' | 'meta'>>> = {
  ctrl: 'ctrl',
  control: 'ctrl',
  alt: 'alt',
  shift: 'shift',
  meta: 'meta',
};

/** "Ctrl+Alt+ArrowLeft" → the key it names and its modifiers; throws on a bad chord. */
export function parseChord(chord: string): KeyInput {
  const parts = chord.split('+');
  const key = parts.pop() ?? '';
  if (key === '') throw new Error(`"${chord}" names no key`);
  const mods = { ctrl: false, alt: false, shift: false, meta: false };
  for (const p of parts) {
    const m = MODIFIERS[p.toLowerCase()];
    if (m === undefined) throw new Error(`"${p}" in "${chord}" is not a modifier (Ctrl, Alt, Shift, Meta)`);
    mods[m] = true;
  }
  const code = /^[a-z]$/i.test(key) ? `Key${key.toUpperCase()}` : /^[0-9]$/.test(key) ? `Digit${key}` : key;
  return { key, code, ...mods, repeat: false };
}

const keyInput = (e: KeyboardEvent): KeyInput => ({
  key: e.key,
  code: e.code,
  ctrl: e.ctrlKey,
  alt: e.altKey,
  shift: e.shiftKey,
  meta: e.metaKey,
  repeat: e.repeat,
});

/** Keys the textarea must not act on: everything but plain printable keys and paste. */
function swallow(e: KeyboardEvent): boolean {
  if ((e.ctrlKey || e.metaKey) && !e.altKey && e.key.toLowerCase() === 'v') return false; // paste → text
  return e.ctrlKey || e.metaKey || e.altKey || e.key.length !== 1;
}

export class DisplayBridge implements DesktopApi {
  readonly ready: Promise<{ readonly renderer: 'webgpu' | 'canvas2d' }>;
  readonly #canvas: HTMLCanvasElement;
  readonly #input: HTMLTextAreaElement;
  readonly #list: HTMLUListElement;
  readonly #announce: HTMLElement;
  readonly #noticeList: HTMLUListElement;
  readonly #notices: DesktopNotification[] = [];
  /** The last text copied by an app or pasted into the page: what a read gets when the system clipboard is closed to it. */
  #clip = '';
  readonly #port: MessagePort;
  readonly #remote: MessagePort;
  readonly #calls = new Map<number, { resolve: (r: Reply) => void; reject: (e: Error) => void }>();
  #nextCall = 1;
  #ready!: (v: { readonly renderer: 'webgpu' | 'canvas2d' }) => void;
  #failed!: (e: Error) => void;
  #focused: number | null = null;

  constructor(root: HTMLElement) {
    const doc = root.ownerDocument;
    this.#canvas = doc.createElement('canvas');
    this.#canvas.className = 'desktop';
    this.#canvas.setAttribute('aria-hidden', 'true');
    this.#input = doc.createElement('textarea');
    this.#input.className = 'desktop-input';
    this.#input.setAttribute('aria-label', 'Keyboard input for the focused window');
    this.#input.autocomplete = 'off';
    this.#input.spellcheck = false;
    this.#input.setAttribute('autocapitalize', 'off');
    const mirror = doc.createElement('section');
    mirror.className = 'visually-hidden';
    mirror.setAttribute('aria-label', 'Desktop');
    this.#list = doc.createElement('ul');
    this.#list.id = 'desktop-windows';
    this.#list.setAttribute('aria-label', 'Windows');
    this.#announce = doc.createElement('p');
    this.#announce.id = 'desktop-focus';
    this.#announce.setAttribute('aria-live', 'polite');
    this.#noticeList = doc.createElement('ul');
    this.#noticeList.id = 'desktop-notifications';
    this.#noticeList.setAttribute('aria-label', 'Notifications');
    mirror.append(this.#list, this.#announce, this.#noticeList);
    root.append(this.#canvas, this.#input, mirror);

    const channel = new MessageChannel();
    this.#port = channel.port1;
    this.#remote = channel.port2;
    this.ready = new Promise((resolve, reject) => {
      this.#ready = resolve;
      this.#failed = reject;
    });
    this.ready.catch(() => undefined); // a page that never asks must not see an unhandled rejection
    this.#port.onmessage = (e: MessageEvent<unknown>) => this.#receive(e.data);
    const saved = localStorage.getItem(LAYOUT_KEY);
    if (saved !== null) this.#post({ t: 'layout', text: saved });
    this.#listen();
  }

  /** What the boot request carries, and what must be transferred with it. Call once. */
  handover(): { display: HostDisplay; transfer: Transferable[] } {
    const canvas = this.#canvas.transferControlToOffscreen();
    const display: HostDisplay = {
      canvas,
      port: this.#remote,
      width: Math.max(1, innerWidth),
      height: Math.max(1, innerHeight),
      dpr: devicePixelRatio || 1,
    };
    return { display, transfer: [canvas, this.#remote] };
  }

  /** Boot failed: the desktop will never be ready. */
  fail(reason: Error): void {
    this.#failed(reason);
  }

  // ---- DesktopApi --------------------------------------------------------------------

  async windows(): Promise<readonly DesktopWindow[]> {
    return (await this.#call({ op: 'windows' })).windows ?? [];
  }

  async focus(window: number): Promise<void> {
    await this.#call({ op: 'focus', window });
  }

  async pixels(window: number | null): Promise<DesktopPixels> {
    const r = await this.#call({ op: 'pixels', window });
    if (!r.pixels) throw new Error('the compositor sent no pixels');
    return r.pixels;
  }

  async sendKeys(chord: string): Promise<void> {
    const input = parseChord(chord);
    this.#post({ t: 'key', phase: 'down', input, sent: performance.timeOrigin + performance.now() });
    this.#post({ t: 'key', phase: 'up', input, sent: performance.timeOrigin + performance.now() });
    await this.#call({ op: 'windows' }); // the port is ordered: the keys have been handled
  }

  async sendText(text: string): Promise<void> {
    this.#post({ t: 'text', data: text, sent: performance.timeOrigin + performance.now() });
    await this.#call({ op: 'windows' });
  }

  async launch(app: string): Promise<void> {
    await this.#call({ op: 'launch', app });
  }

  notifications(): readonly DesktopNotification[] {
    return [...this.#notices];
  }

  async shell(): Promise<DesktopShell> {
    const r = await this.#call({ op: 'shell' });
    if (!r.shell) throw new Error('the compositor sent no shell state');
    return r.shell;
  }

  async stats(): Promise<DesktopStats> {
    const r = await this.#call({ op: 'stats' });
    if (!r.stats) throw new Error('the compositor sent no stats');
    return r.stats;
  }

  // ---- the port ----------------------------------------------------------------------

  #post(m: HostToCompositor): void {
    this.#port.postMessage(m);
  }

  #call(call: DesktopCall): Promise<Reply> {
    const id = this.#nextCall++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#calls.delete(id);
        reject(new Error(`the desktop did not answer ${call.op} within ${CALL_TIMEOUT_MS} ms`));
      }, CALL_TIMEOUT_MS);
      this.#calls.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          if (r.error === null) resolve(r);
          else reject(new Error(r.error));
        },
        reject,
      });
      this.#post({ t: 'call', id, call });
    });
  }

  #receive(data: unknown): void {
    const m = decodeCompositorMessage(data);
    if (!m.ok) {
      console.warn(`tessera: dropped a bad message from the compositor: ${m.error}`);
      return;
    }
    const v = m.value;
    switch (v.t) {
      case 'ready':
        this.#canvas.ownerDocument.documentElement.dataset['desktop'] = v.renderer;
        this.#ready({ renderer: v.renderer });
        break;
      case 'mirror':
        this.#mirror(v.windows);
        break;
      case 'cursor':
        this.#canvas.style.cursor = v.cursor;
        break;
      case 'layout':
        try {
          localStorage.setItem(LAYOUT_KEY, v.text);
        } catch {
          // storage full or denied: the layout is simply not kept
        }
        break;
      case 'notify':
        this.#notify({ app: v.app, title: v.title, body: v.body, time: Date.now() });
        break;
      case 'clipboard-write':
        this.#clip = v.text;
        // Refused without the permission or focus: the text stays readable inside Tessera.
        navigator.clipboard?.writeText(v.text).catch(() => undefined);
        break;
      case 'clipboard-read':
        void this.#readClipboard().then((text) => this.#post({ t: 'clipboard', id: v.id, text }));
        break;
      case 'reply': {
        const call = this.#calls.get(v.id);
        this.#calls.delete(v.id);
        call?.resolve(v);
        break;
      }
    }
  }

  async #readClipboard(): Promise<string> {
    try {
      const text = await navigator.clipboard.readText();
      return text.slice(0, DISPLAY_LIMITS.CLIPBOARD_MAX);
    } catch {
      return this.#clip; // the page may not read the system clipboard
    }
  }

  #notify(n: DesktopNotification): void {
    this.#notices.push(n);
    if (this.#notices.length > NOTIFICATIONS_KEPT) this.#notices.shift();
    const li = this.#noticeList.ownerDocument.createElement('li');
    li.textContent = `${n.app}: ${n.title}${n.body ? ` — ${n.body}` : ''}`;
    this.#noticeList.append(li);
    while (this.#noticeList.childElementCount > NOTIFICATIONS_KEPT)
      this.#noticeList.firstElementChild?.remove();
    this.#announce.textContent = `Notification from ${n.app}: ${n.title}`;
  }

  #mirror(windows: readonly DesktopWindow[]): void {
    const doc = this.#list.ownerDocument;
    this.#list.replaceChildren(
      ...windows.map((w) => {
        const li = doc.createElement('li');
        li.dataset['window'] = String(w.id);
        if (w.focused) li.setAttribute('aria-current', 'true');
        const state = [w.focused ? 'focused' : '', w.minimized ? 'minimized' : ''].filter(Boolean).join(', ');
        li.textContent = `${w.title}${state ? ` (${state})` : ''}${w.text ? `: ${w.text}` : ''}`;
        return li;
      }),
    );
    const focused = windows.find((w) => w.focused) ?? null;
    if ((focused?.id ?? null) !== this.#focused) {
      this.#focused = focused?.id ?? null;
      this.#announce.textContent = focused ? `${focused.title} focused` : 'No window focused';
    }
  }

  // ---- input -------------------------------------------------------------------------

  #listen(): void {
    const input = this.#input;
    const canvas = this.#canvas;
    const view = canvas.ownerDocument.defaultView ?? window;
    input.addEventListener('keydown', (e) => {
      if (e.isComposing || e.key === 'Process' || e.key === 'Dead') return;
      if (swallow(e)) e.preventDefault();
      this.#post({
        t: 'key',
        phase: 'down',
        input: keyInput(e),
        sent: performance.timeOrigin + performance.now(),
      });
    });
    input.addEventListener('keyup', (e) => {
      if (e.isComposing || e.key === 'Process' || e.key === 'Dead') return;
      this.#post({
        t: 'key',
        phase: 'up',
        input: keyInput(e),
        sent: performance.timeOrigin + performance.now(),
      });
    });
    const flush = (): void => {
      const data = input.value;
      input.value = '';
      if (data !== '') this.#post({ t: 'text', data, sent: performance.timeOrigin + performance.now() });
    };
    input.addEventListener('input', (e) => {
      if (!(e as InputEvent).isComposing) flush();
    });
    input.addEventListener('compositionend', flush);
    input.addEventListener('paste', (e) => {
      const text = e.clipboardData?.getData('text/plain');
      if (text) this.#clip = text.slice(0, DISPLAY_LIMITS.CLIPBOARD_MAX);
    });
    canvas.addEventListener(
      'wheel',
      (e) => {
        e.preventDefault(); // the page itself never scrolls
        const k = e.deltaMode === 1 ? WHEEL_LINE_PX : e.deltaMode === 2 ? view.innerHeight : 1;
        this.#post({ t: 'wheel', x: e.clientX, y: e.clientY, dx: e.deltaX * k, dy: e.deltaY * k });
      },
      { passive: false },
    );
    const pointer = (phase: 'down' | 'move' | 'up' | 'cancel') => (e: PointerEvent) => {
      this.#post({ t: 'pointer', phase, x: e.clientX, y: e.clientY, buttons: e.buttons });
    };
    canvas.addEventListener('pointerdown', (e) => {
      e.preventDefault(); // no text selection or native drag; the focus goes to the input below
      try {
        canvas.setPointerCapture(e.pointerId);
      } catch {
        // a synthetic event's pointer is not active: nothing to capture
      }
      input.focus({ preventScroll: true });
      pointer('down')(e);
    });
    canvas.addEventListener('pointermove', pointer('move'));
    canvas.addEventListener('pointerup', pointer('up'));
    canvas.addEventListener('pointercancel', pointer('cancel'));
    canvas.addEventListener('contextmenu', (e) => e.preventDefault());
    view.addEventListener('resize', () =>
      this.#post({
        t: 'resize',
        width: Math.max(1, view.innerWidth),
        height: Math.max(1, view.innerHeight),
        dpr: view.devicePixelRatio || 1,
      }),
    );
    input.focus({ preventScroll: true });
  }
}
