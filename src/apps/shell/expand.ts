// Word expansion for the shell: parameters, then field splitting of unquoted results on
// spaces, tabs and newlines, then quote removal (the parser already took the quotes off
// and marked what they covered). Also the glob matcher for pathname expansion.
// Layer: apps; pure — the caller supplies the variables and does the directory reading.
import type { Word } from './syntax.ts';

export interface ExpandEnv {
  /** A shell or environment variable; undefined when unset (it expands to ''). */
  get(name: string): string | undefined;
  /** positional[0] is $0; $1 on are the arguments. */
  readonly positional: readonly string[];
  /** $? */
  readonly status: number;
  /** $$ */
  readonly pid: number;
}

/**
 * One field after expansion. glob: the pattern to match against file names when the field
 * holds unquoted glob characters (from the source or from an unquoted expansion), with its
 * quoted characters backslash-escaped so they match only themselves; null when there is
 * nothing to glob.
 */
export interface Field {
  readonly text: string;
  readonly glob: string | null;
}

const BLANKS = /[ \t\n]+/;
const GLOB_CHARS = /[*?[]/;

/** expandWord's fields, each with the glob pattern (if any) to expand it with. */
export function expandFields(word: Word, env: ExpandEnv): Field[] {
  const b = new FieldBuilder();
  for (const part of word) {
    if (part.kind === 'literal') b.add(part.text, part.quoted);
    else if (part.quoted && part.name === '@') b.addEach(env.positional.slice(1));
    else if (part.quoted) b.add(lookup(part.name, env), true);
    else b.addSplit(lookup(part.name, env));
  }
  return b.finish();
}

/**
 * Parameter expansion, then field splitting of unquoted expansion results, then quote
 * removal. A word can yield no fields (an unquoted empty $X, or "$@" with no arguments);
 * "" yields one empty field.
 */
export function expandWord(word: Word, env: ExpandEnv): string[] {
  return expandFields(word, env).map((f) => f.text);
}

/** Like expandWord but never splits: one string (assignment values, redirection targets). */
export function expandWordToString(word: Word, env: ExpandEnv): string {
  return word.map((p) => (p.kind === 'literal' ? p.text : lookup(p.name, env))).join('');
}

/** True if the word's unquoted literal parts hold a glob character (* ? [). */
export function hasGlob(word: Word): boolean {
  return word.some((p) => p.kind === 'literal' && !p.quoted && GLOB_CHARS.test(p.text));
}

/** `text` as a glob pattern that matches only `text`. */
export function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

function lookup(name: string, env: ExpandEnv): string {
  switch (name) {
    case '?':
      return String(env.status);
    case '$':
      return String(env.pid);
    case '#':
      return String(Math.max(0, env.positional.length - 1));
    case '@':
    case '*':
      return env.positional.slice(1).join(' ');
  }
  if (/^[0-9]+$/.test(name)) return env.positional[Number(name)] ?? '';
  return env.get(name) ?? '';
}

/** Accumulates the field being built; a field exists once anything quoted or non-empty went in. */
class FieldBuilder {
  readonly #fields: Field[] = [];
  #text = '';
  #pattern = '';
  #globbed = false;
  #started = false;

  add(text: string, quoted: boolean): void {
    this.#text += text;
    this.#pattern += quoted ? escapeGlob(text) : text;
    if (!quoted && GLOB_CHARS.test(text)) this.#globbed = true;
    if (quoted || text !== '') this.#started = true;
  }

  /** An unquoted expansion: blanks in it end the current field. */
  addSplit(value: string): void {
    value.split(BLANKS).forEach((piece, k) => {
      if (k > 0) this.#flush();
      this.add(piece, false);
    });
  }

  /** "$@": each value its own quoted field; the first joins what came before, the last what follows. */
  addEach(values: readonly string[]): void {
    values.forEach((v, k) => {
      if (k > 0) this.#flush();
      this.add(v, true);
    });
  }

  finish(): Field[] {
    this.#flush();
    return this.#fields;
  }

  #flush(): void {
    if (this.#started) this.#fields.push({ text: this.#text, glob: this.#globbed ? this.#pattern : null });
    this.#text = '';
    this.#pattern = '';
    this.#globbed = false;
    this.#started = false;
  }
}

type GlobToken =
  | { readonly kind: 'star' }
  | { readonly kind: 'any' }
  | { readonly kind: 'char'; readonly c: string }
  | {
      readonly kind: 'set';
      readonly negated: boolean;
      readonly ranges: readonly (readonly [number, number])[];
    };

/**
 * Matches one file name against a glob pattern: `*`, `?`, `[abc]`, `[a-z]`, `[!x]` (or
 * `[^x]`), and `\x` for a literal x. A leading '.' in the name must be matched by a literal
 * '.' in the pattern. An unclosed `[` is a literal `[`.
 */
export function globMatch(pattern: string, name: string): boolean {
  const tokens = compileGlob(pattern);
  const chars = Array.from(name);
  const head = tokens[0];
  if (chars[0] === '.' && !(head?.kind === 'char' && head.c === '.')) return false;
  return matchTokens(tokens, chars);
}

function compileGlob(pattern: string): GlobToken[] {
  const cs = Array.from(pattern);
  const out: GlobToken[] = [];
  for (let i = 0; i < cs.length;) {
    const c = cs[i] ?? '';
    const next = cs[i + 1];
    const set = c === '[' ? compileSet(cs, i + 1) : undefined;
    if (set) {
      out.push(set.token);
      i = set.end;
    } else if (c === '*') {
      if (out.at(-1)?.kind !== 'star') out.push({ kind: 'star' });
      i++;
    } else if (c === '?') {
      out.push({ kind: 'any' });
      i++;
    } else if (c === '\\' && next !== undefined) {
      out.push({ kind: 'char', c: next });
      i += 2;
    } else {
      out.push({ kind: 'char', c });
      i++;
    }
  }
  return out;
}

/** A bracket expression from just after its `[`; undefined when it is never closed. */
function compileSet(cs: readonly string[], from: number): { token: GlobToken; end: number } | undefined {
  let i = from;
  const negated = cs[i] === '!' || cs[i] === '^';
  if (negated) i++;
  const ranges: [number, number][] = [];
  // One member, `\x` escapes allowed; advances i past it.
  const member = (): number | undefined => {
    const c = cs[i] === '\\' && cs[i + 1] !== undefined ? cs[++i] : cs[i];
    i++;
    return c?.codePointAt(0);
  };
  for (let first = true; ; first = false) {
    if (cs[i] === undefined) return undefined;
    if (cs[i] === ']' && !first) return { token: { kind: 'set', negated, ranges }, end: i + 1 };
    const lo = member() ?? 0;
    if (cs[i] === '-' && cs[i + 1] !== undefined && cs[i + 1] !== ']') {
      i++;
      ranges.push([lo, member() ?? lo]);
    } else {
      ranges.push([lo, lo]);
    }
  }
}

function matchOne(t: GlobToken, c: string): boolean {
  if (t.kind === 'any') return true;
  if (t.kind === 'char') return t.c === c;
  if (t.kind === 'star') return false;
  const code = c.codePointAt(0) ?? -1;
  return t.ranges.some(([lo, hi]) => code >= lo && code <= hi) !== t.negated;
}

/** Greedy match with backtracking to the last `*` (linear in practice, no recursion). */
function matchTokens(tokens: readonly GlobToken[], chars: readonly string[]): boolean {
  let p = 0;
  let n = 0;
  let starP = -1;
  let starN = 0;
  while (n < chars.length) {
    const t = tokens[p];
    const c = chars[n] ?? '';
    if (t?.kind === 'star') {
      starP = p++;
      starN = n;
    } else if (t && matchOne(t, c)) {
      p++;
      n++;
    } else if (starP >= 0) {
      p = starP + 1;
      n = ++starN;
    } else {
      return false;
    }
  }
  while (tokens[p]?.kind === 'star') p++;
  return p === tokens.length;
}
