// The shell's command language: one input line (or a script's text) to a Program.
// Layer: apps; pure — no DOM, no workers. Trusts nothing: every string parses to a value,
// a Program or an error that says whether more input could complete it (for continuation
// prompts). Two stages: lex() cuts the source into words (already split into literal and
// parameter parts, quotes removed but remembered) and operators; Parser builds the lists.
import { err, ok, type Result } from '../../abi/result.ts';

/** One shell word before expansion. */
export type Word = readonly WordPart[];
export type WordPart =
  /** quoted: from '...', "..." or a backslash escape (no field splitting, no globbing). */
  | { readonly kind: 'literal'; readonly text: string; readonly quoted: boolean }
  /** $NAME, ${NAME}, $?, $$, $#, $@, $*, $0..$9 (${10} and up in braces); quoted inside "...". */
  | { readonly kind: 'param'; readonly name: string; readonly quoted: boolean };
/** `2>&1` is {fd: 2, op: '>&', target: [literal '1']}; `<`/`<&` default to fd 0, the rest to fd 1. */
export interface Redirect {
  readonly fd: number;
  readonly op: '<' | '>' | '>>' | '>&' | '<&';
  readonly target: Word;
}
export interface Assignment {
  readonly name: string;
  readonly value: Word;
}
export interface SimpleCommand {
  /** NAME=value words before the first command word. */
  readonly assignments: readonly Assignment[];
  readonly words: readonly Word[];
  readonly redirects: readonly Redirect[];
}
export interface Pipeline {
  readonly commands: readonly SimpleCommand[];
  /** `! cmd` */
  readonly negated: boolean;
}
export interface AndOr {
  readonly first: Pipeline;
  readonly rest: readonly { readonly op: '&&' | '||'; readonly pipeline: Pipeline }[];
}
export interface ListItem {
  readonly andOr: AndOr;
  /** Ended by `&`. */
  readonly background: boolean;
  /** The item's source text, trimmed, without its `;` or `&` (a job's name in `jobs`). */
  readonly text: string;
}
export type Program = readonly ListItem[];
export type ParseResult =
  | { readonly ok: true; readonly value: Program }
  | { readonly ok: false; readonly error: string; readonly incomplete: boolean };

/** Parses `source`; empty, blank or comment-only input is an empty Program. */
export function parse(source: string): ParseResult {
  const r = new Parser(lex(source), source).program();
  return r.ok ? r : { ok: false, error: r.error.error, incomplete: r.error.incomplete };
}

interface Fail {
  readonly error: string;
  /** More input (a continuation line) could make this parse. */
  readonly incomplete: boolean;
}
type Op = '|' | '||' | '&' | '&&' | ';' | ';;';
type Token = { readonly start: number; readonly end: number } & (
  | { readonly kind: 'word'; readonly word: Word }
  | { readonly kind: 'op'; readonly op: Op }
  | { readonly kind: 'redir'; readonly fd: number; readonly op: Redirect['op'] }
  | { readonly kind: 'newline' }
  | { readonly kind: 'end' }
  | { readonly kind: 'error'; readonly fail: Fail }
);
/** What lexing one token gives: a token (none for a comment) and where the next begins. */
type Lexed = Result<{ readonly token: Token | null; readonly end: number }, Fail>;

const fail = (error: string, incomplete = false) => err<Fail>({ error, incomplete });

// Checked in order at each token's start; longer operators first.
const OPERATORS: readonly Op[] = ['&&', '||', ';;', '|', '&', ';'];
const REDIRECTS: readonly (readonly [Redirect['op'], number])[] = [
  ['>>', 1],
  ['>&', 1],
  ['<&', 0],
  ['>', 1],
  ['<', 0],
];
const UNSUPPORTED: readonly (readonly [string, string])[] = [
  ['<<', 'here-documents (`<<`) are not supported'],
  ['&>', '`&>` is not supported: use `>file 2>&1`'],
  ['(', 'subshells and grouping (`(`) are not supported'],
  [')', 'subshells and grouping (`)`) are not supported'],
];
const WORD_END = new Set([' ', '\t', '\n', '|', '&', ';', '<', '>', '(', ')']);
const FD_PREFIX = /[0-9]+(?=[<>])/y;
const NAME_OR_SPECIAL = /[A-Za-z_][A-Za-z0-9_]*|[0-9?$#@*]/y;
const BRACED = /^(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]+|[?$#@*])$/;
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;
const COMMAND_SUBSTITUTION = 'command substitution is not supported';

/** The tokens of `src`, always ending with an `end` token or, at the first lexical error, an `error` one. */
function lex(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  for (;;) {
    while (src[i] === ' ' || src[i] === '\t' || src.startsWith('\\\n', i)) i += src[i] === '\\' ? 2 : 1;
    if (i >= src.length) {
      tokens.push({ kind: 'end', start: i, end: i });
      return tokens;
    }
    const r = lexToken(src, i);
    if (!r.ok) {
      tokens.push({ kind: 'error', fail: r.error, start: i, end: src.length });
      return tokens;
    }
    if (r.value.token) tokens.push(r.value.token);
    i = r.value.end;
  }
}

function lexToken(src: string, start: number): Lexed {
  if (src[start] === '\n') return ok({ token: { kind: 'newline', start, end: start + 1 }, end: start + 1 });
  if (src[start] === '#') {
    const nl = src.indexOf('\n', start);
    return ok({ token: null, end: nl < 0 ? src.length : nl });
  }
  FD_PREFIX.lastIndex = start;
  const digits = FD_PREFIX.exec(src)?.[0];
  const at = start + (digits?.length ?? 0);
  for (const [text, message] of UNSUPPORTED) if (src.startsWith(text, at)) return fail(message);
  if (digits === undefined) {
    for (const op of OPERATORS) {
      if (src.startsWith(op, start))
        return ok({ token: { kind: 'op', op, start, end: start + op.length }, end: start + op.length });
    }
  }
  for (const [op, defaultFd] of REDIRECTS) {
    if (!src.startsWith(op, at)) continue;
    const fd = digits === undefined ? defaultFd : Number(digits);
    if (!Number.isSafeInteger(fd)) return fail(`bad file descriptor: ${digits ?? ''}`);
    const end = at + op.length;
    return ok({ token: { kind: 'redir', fd, op, start, end }, end });
  }
  return lexWord(src, start);
}

function pushLiteral(parts: WordPart[], text: string, quoted: boolean): void {
  const last = parts.at(-1);
  if (last?.kind === 'literal' && last.quoted === quoted) {
    parts[parts.length - 1] = { kind: 'literal', text: last.text + text, quoted };
  } else {
    parts.push({ kind: 'literal', text, quoted });
  }
}

function lexWord(src: string, start: number): Lexed {
  const parts: WordPart[] = [];
  let i = start;
  for (let c = src[i]; c !== undefined && !WORD_END.has(c); c = src[i]) {
    if (c === "'") {
      const close = src.indexOf("'", i + 1);
      if (close < 0) return fail('unterminated single quote', true);
      pushLiteral(parts, src.slice(i + 1, close), true);
      i = close + 1;
    } else if (c === '"') {
      const r = lexDoubleQuoted(src, i + 1, parts);
      if (!r.ok) return r;
      i = r.value;
    } else if (c === '\\') {
      const next = src[i + 1];
      if (next === undefined) return fail('syntax error: unexpected end of input after `\\`', true);
      if (next !== '\n') pushLiteral(parts, next, true);
      i += 2;
    } else if (c === '$') {
      const r = lexDollar(src, i, false, parts);
      if (!r.ok) return r;
      i = r.value;
    } else if (c === '`') {
      return fail(COMMAND_SUBSTITUTION);
    } else {
      pushLiteral(parts, c, false);
      i++;
    }
  }
  const token: Token | null = parts.length > 0 ? { kind: 'word', word: parts, start, end: i } : null;
  return ok({ token, end: i });
}

/** From just after an opening `"`; appends the parts and returns the index after the closing `"`. */
function lexDoubleQuoted(src: string, start: number, parts: WordPart[]): Result<number, Fail> {
  const before = parts.length;
  let i = start;
  for (;;) {
    const c = src[i];
    if (c === undefined) return fail('unterminated double quote', true);
    if (c === '"') {
      // "" is an (empty) field of its own; "$@" with no parameters is none.
      if (parts.length === before) pushLiteral(parts, '', true);
      return ok(i + 1);
    }
    if (c === '`') return fail(COMMAND_SUBSTITUTION);
    if (c === '$') {
      const r = lexDollar(src, i, true, parts);
      if (!r.ok) return r;
      i = r.value;
      continue;
    }
    const next = src[i + 1];
    if (c === '\\' && next !== undefined && '$`"\\\n'.includes(next)) {
      if (next !== '\n') pushLiteral(parts, next, true);
      i += 2;
    } else {
      pushLiteral(parts, c, true);
      i++;
    }
  }
}

/** At a `$`: appends a param (or a literal `$`) and returns the index after it. */
function lexDollar(src: string, i: number, quoted: boolean, parts: WordPart[]): Result<number, Fail> {
  const next = src[i + 1];
  if (next === '(') return fail(COMMAND_SUBSTITUTION);
  if (next === '{') {
    const close = src.indexOf('}', i + 2);
    if (close < 0) return fail('unterminated `${`', true);
    const name = src.slice(i + 2, close);
    if (!BRACED.test(name)) return fail(`bad substitution: \${${name}}`);
    parts.push({ kind: 'param', name, quoted });
    return ok(close + 1);
  }
  NAME_OR_SPECIAL.lastIndex = i + 1;
  const name = NAME_OR_SPECIAL.exec(src)?.[0];
  if (name === undefined) {
    pushLiteral(parts, '$', quoted);
    return ok(i + 1);
  }
  parts.push({ kind: 'param', name, quoted });
  return ok(i + 1 + name.length);
}

/** NAME=value as an assignment, if the word is one (the NAME= part unquoted). */
function asAssignment(word: Word): Assignment | undefined {
  const head = word[0];
  if (head?.kind !== 'literal' || head.quoted || !ASSIGNMENT.test(head.text)) return undefined;
  const eq = head.text.indexOf('=');
  const rest = head.text.slice(eq + 1);
  const tail = word.slice(1);
  return { name: head.text.slice(0, eq), value: rest === '' ? tail : [{ ...head, text: rest }, ...tail] };
}

function isBang(t: Token): boolean {
  const only = t.kind === 'word' && t.word.length === 1 ? t.word[0] : undefined;
  return only?.kind === 'literal' && !only.quoted && only.text === '!';
}

/** Recursive descent over the tokens; never moves past the final end/error token. */
class Parser {
  readonly #tokens: readonly Token[];
  readonly #source: string;
  #pos = 0;
  /** Where the last consumed token ended (for ListItem.text). */
  #lastEnd = 0;

  constructor(tokens: readonly Token[], source: string) {
    this.#tokens = tokens;
    this.#source = source;
  }

  program(): Result<Program, Fail> {
    const items: ListItem[] = [];
    for (;;) {
      this.#skipNewlines();
      const first = this.#peek();
      if (first.kind === 'end') return ok(items);
      const andOr = this.#andOr();
      if (!andOr.ok) return andOr;
      const text = this.#source.slice(first.start, this.#lastEnd).trim();
      const sep = this.#peek();
      const background = sep.kind === 'op' && sep.op === '&';
      if (background || (sep.kind === 'op' && sep.op === ';') || sep.kind === 'newline') this.#next();
      else if (sep.kind !== 'end') return this.#unexpected(sep);
      items.push({ andOr: andOr.value, background, text });
    }
  }

  #andOr(): Result<AndOr, Fail> {
    const first = this.#pipeline();
    if (!first.ok) return first;
    const rest: { op: '&&' | '||'; pipeline: Pipeline }[] = [];
    for (;;) {
      const t = this.#peek();
      if (t.kind !== 'op' || (t.op !== '&&' && t.op !== '||')) return ok({ first: first.value, rest });
      this.#next();
      const more = this.#continuation(t.op);
      if (!more.ok) return more;
      const p = this.#pipeline();
      if (!p.ok) return p;
      rest.push({ op: t.op, pipeline: p.value });
    }
  }

  #pipeline(): Result<Pipeline, Fail> {
    let negated = false;
    while (isBang(this.#peek())) {
      this.#next();
      negated = !negated;
    }
    const after = this.#peek().kind;
    if (negated && (after === 'end' || after === 'newline')) return fail('syntax error: `!` needs a command');
    const commands: SimpleCommand[] = [];
    for (;;) {
      const c = this.#command();
      if (!c.ok) return c;
      commands.push(c.value);
      const t = this.#peek();
      if (t.kind !== 'op' || t.op !== '|') return ok({ commands, negated });
      this.#next();
      const more = this.#continuation('|');
      if (!more.ok) return more;
    }
  }

  #command(): Result<SimpleCommand, Fail> {
    const assignments: Assignment[] = [];
    const words: Word[] = [];
    const redirects: Redirect[] = [];
    for (let t = this.#peek(); t.kind === 'word' || t.kind === 'redir'; t = this.#peek()) {
      this.#next();
      if (t.kind === 'word') {
        const a = words.length === 0 ? asAssignment(t.word) : undefined;
        if (a) assignments.push(a);
        else words.push(t.word);
        continue;
      }
      const target = this.#peek();
      if (target.kind === 'error') return err(target.fail);
      const op = this.#source.slice(t.start, t.end);
      if (target.kind !== 'word') return fail(`a redirection needs a target (after \`${op}\`)`);
      this.#next();
      redirects.push({ fd: t.fd, op: t.op, target: target.word });
    }
    if (assignments.length + words.length + redirects.length === 0) return this.#unexpected(this.#peek());
    return ok({ assignments, words, redirects });
  }

  /** After `|`, `&&` or `||`: newlines may follow, the end of input may not (yet). */
  #continuation(op: string): Result<undefined, Fail> {
    this.#skipNewlines();
    if (this.#peek().kind === 'end')
      return fail(`syntax error: unexpected end of input after \`${op}\``, true);
    return ok(undefined);
  }

  #unexpected(t: Token): Result<never, Fail> {
    if (t.kind === 'error') return err(t.fail);
    if (t.kind === 'end') return fail('syntax error: unexpected end of input');
    if (t.kind === 'newline') return fail('syntax error near newline');
    return fail(`syntax error near \`${this.#source.slice(t.start, t.end)}\``);
  }

  #skipNewlines(): void {
    while (this.#peek().kind === 'newline') this.#next();
  }

  #peek(): Token {
    const t = this.#tokens[this.#pos] ?? this.#tokens.at(-1);
    if (t === undefined) throw new Error('shell parser: lex() gave no tokens');
    return t;
  }

  #next(): void {
    const t = this.#peek();
    if (t.kind === 'end' || t.kind === 'error') return;
    this.#pos++;
    this.#lastEnd = t.end;
  }
}
