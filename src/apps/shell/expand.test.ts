import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  escapeGlob,
  expandFields,
  expandWord,
  expandWordToString,
  globMatch,
  hasGlob,
  type ExpandEnv,
} from './expand.ts';
import { parse, type Word } from './syntax.ts';

function env(
  vars: Record<string, string> = {},
  positional: string[] = ['sh'],
  status = 0,
  pid = 7,
): ExpandEnv {
  const map = new Map(Object.entries(vars));
  return { get: (name) => map.get(name), positional, status, pid };
}

/** The words of a one-command source. */
function wordsOf(source: string): readonly Word[] {
  const r = parse(source);
  if (!r.ok) throw new Error(`parse failed: ${r.error}`);
  return r.value[0]?.andOr.first.commands[0]?.words ?? [];
}

/** A command line's argv, as the executor would build it. */
function argv(source: string, e: ExpandEnv = env()): string[] {
  return wordsOf(source).flatMap((w) => expandWord(w, e));
}

describe('expandWord', () => {
  it('removes quotes and keeps quoted blanks in one field', () => {
    expect(argv(`echo "a b"'c d'e\\ f`)).toEqual(['echo', 'a bc de f']);
  });

  it('splits an unquoted expansion on blanks, not a quoted one', () => {
    const e = env({ X: 'a  b' });
    expect(argv('echo $X', e)).toEqual(['echo', 'a', 'b']);
    expect(argv('echo "$X"', e)).toEqual(['echo', 'a  b']);
    expect(argv('echo ${X}', e)).toEqual(['echo', 'a', 'b']);
    expect(argv('echo $Y', env({ Y: ' \tp\nq  ' }))).toEqual(['echo', 'p', 'q']);
  });

  it('joins split pieces to the text around them', () => {
    expect(argv('echo x$X.y', env({ X: '1 2' }))).toEqual(['echo', 'x1', '2.y']);
    expect(argv('echo x$X"y"', env({ X: ' a ' }))).toEqual(['echo', 'x', 'a', 'y']);
    expect(argv('echo ""$X', env({ X: ' a' }))).toEqual(['echo', '', 'a']);
  });

  it('gives no field for an unquoted empty or unset expansion, one for ""', () => {
    const e = env({ E: '', B: '   ' });
    expect(argv('echo $E $UNSET $B', e)).toEqual(['echo']);
    expect(argv('echo "" "$E" \'\'', e)).toEqual(['echo', '', '', '']);
    expect(argv('echo a$E', e)).toEqual(['echo', 'a']);
  });

  it('expands the special parameters', () => {
    const e = env({}, ['myscript', 'one', 'two words'], 3, 42);
    expect(argv('echo $? $$ $# $0 $1 $3', e)).toEqual(['echo', '3', '42', '2', 'myscript', 'one']);
    expect(argv('echo "$2"', e)).toEqual(['echo', 'two words']);
    expect(argv('echo $#', env({}, []))).toEqual(['echo', '0']);
    expect(argv('echo ${10}', env({}, ['s', ...'abcdefghij']))).toEqual(['echo', 'j']);
  });

  it('gives unquoted $@ and $* split fields', () => {
    const e = env({}, ['sh', 'a b', '', 'c']);
    expect(argv('echo $@', e)).toEqual(['echo', 'a', 'b', 'c']);
    expect(argv('echo $*', e)).toEqual(['echo', 'a', 'b', 'c']);
  });

  it('gives "$@" one field per parameter, empty ones too, and none without parameters', () => {
    const e = env({}, ['sh', 'a b', '', 'c']);
    expect(argv('echo "$@"', e)).toEqual(['echo', 'a b', '', 'c']);
    expect(argv('echo "<$@>"', e)).toEqual(['echo', '<a b', '', 'c>']);
    expect(argv('echo "$@"', env())).toEqual(['echo']);
    expect(argv('echo "x$@"', env())).toEqual(['echo', 'x']);
    expect(argv('echo "$*"', e)).toEqual(['echo', 'a b  c']);
  });

  it('does not expand what is single-quoted or escaped', () => {
    const e = env({ X: 'v' });
    expect(argv(`echo '$X' \\$X "\\$X" $`, e)).toEqual(['echo', '$X', '$X', '$X', '$']);
  });
});

describe('expandWordToString', () => {
  it('never splits, joining $@ with spaces', () => {
    const e = env({ X: 'a  b' }, ['sh', '1', '2']);
    const [w] = wordsOf(`pre$X-$@-'q'`);
    expect(w && expandWordToString(w, e)).toBe('prea  b-1 2-q');
    expect(expandWordToString([], e)).toBe('');
  });

  it('expands assignment values and redirection targets', () => {
    const r = parse('a=$X"y" cmd >$F.log');
    if (!r.ok) throw new Error(r.error);
    const c = r.value[0]?.andOr.first.commands[0];
    const e = env({ X: 'p q', F: 'out file' });
    expect(c?.assignments.map((a) => [a.name, expandWordToString(a.value, e)])).toEqual([['a', 'p qy']]);
    expect(c?.redirects.map((x) => expandWordToString(x.target, e))).toEqual(['out file.log']);
  });
});

describe('hasGlob and expandFields', () => {
  it('sees glob characters only in unquoted literal text', () => {
    const globs = wordsOf(`echo *.ts a? [ab] '*' "?" \\[ x $X`).map(hasGlob);
    expect(globs).toEqual([false, true, true, true, false, false, false, false, false]);
  });

  it('gives a pattern with the quoted characters escaped', () => {
    const e = env({ P: '*.md' });
    const fields = wordsOf(`x "a*"*.ts $P "$P" plain`).flatMap((w) => expandFields(w, e));
    expect(fields).toEqual([
      { text: 'x', glob: null },
      { text: 'a**.ts', glob: 'a\\**.ts' },
      { text: '*.md', glob: '*.md' },
      { text: '*.md', glob: null },
      { text: 'plain', glob: null },
    ]);
    expect(globMatch('a\\**.ts', 'a*b.ts')).toBe(true);
    expect(globMatch('a\\**.ts', 'ab.ts')).toBe(false);
  });
});

describe('globMatch', () => {
  it('matches *, ? and literal text', () => {
    expect(globMatch('*.ts', 'a.ts')).toBe(true);
    expect(globMatch('*.ts', '.ts.ts')).toBe(false);
    expect(globMatch('*.ts', 'a.tsx')).toBe(false);
    expect(globMatch('a*b*c', 'aXbYbZc')).toBe(true);
    expect(globMatch('a*b*c', 'aXbYbZ')).toBe(false);
    expect(globMatch('?', 'é')).toBe(true);
    expect(globMatch('??', '😀')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('', '')).toBe(true);
    expect(globMatch('abc', 'abc')).toBe(true);
    expect(globMatch('abc', 'abd')).toBe(false);
  });

  it('matches sets, ranges and negated sets', () => {
    expect(globMatch('[abc].txt', 'b.txt')).toBe(true);
    expect(globMatch('[abc].txt', 'd.txt')).toBe(false);
    expect(globMatch('file[0-9]', 'file7')).toBe(true);
    expect(globMatch('file[0-9]', 'filex')).toBe(false);
    expect(globMatch('[!x]*', 'yes')).toBe(true);
    expect(globMatch('[!x]*', 'xyz')).toBe(false);
    expect(globMatch('[^x]', 'x')).toBe(false);
    expect(globMatch('[]a]', ']')).toBe(true);
    expect(globMatch('[!]]', ']')).toBe(false);
    expect(globMatch('[a-]', '-')).toBe(true);
    expect(globMatch('[\\]]', ']')).toBe(true);
  });

  it('treats an unclosed [ as a literal', () => {
    expect(globMatch('a[b', 'a[b')).toBe(true);
    expect(globMatch('[', '[')).toBe(true);
    expect(globMatch('a[b', 'ab')).toBe(false);
  });

  it('matches a leading dot only explicitly', () => {
    expect(globMatch('*', '.hidden')).toBe(false);
    expect(globMatch('?hidden', '.hidden')).toBe(false);
    expect(globMatch('[.]hidden', '.hidden')).toBe(false);
    expect(globMatch('.*', '.hidden')).toBe(true);
    expect(globMatch('\\.h*', '.hidden')).toBe(true);
    expect(globMatch('a*', 'a.b')).toBe(true);
  });

  it('matches every name against its own escaped form, and * against every visible name', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(globMatch(escapeGlob(s), s)).toBe(true);
        expect(globMatch('*', s)).toBe(!s.startsWith('.'));
      }),
    );
  });

  it('is fast on patterns that backtrack', () => {
    expect(globMatch('*a*a*a*a*a*a*b', 'a'.repeat(2000))).toBe(false);
  });
});

describe('parse then expand: properties', () => {
  /** Single-quotes any text the way a shell user would ('\'' for a quote). */
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;

  it('reads any quoted text back as exactly that one field', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(argv(`echo ${quote(s)}`)).toEqual(['echo', s]);
      }),
    );
  });

  it('splits an unquoted value into its blank-separated pieces', () => {
    const piece = fc.string({ unit: fc.constantFrom(...'ab*$\'"\\'.split('')), minLength: 1 });
    const blanks = fc.string({ unit: fc.constantFrom(' ', '\t', '\n'), minLength: 1 });
    fc.assert(
      fc.property(fc.array(piece), blanks, (pieces, sep) => {
        const e = env({ X: pieces.join(sep) });
        expect(argv('echo $X', e)).toEqual(['echo', ...pieces]);
        expect(argv('echo "$X"', e)).toEqual(['echo', pieces.join(sep)]);
      }),
    );
  });
});
