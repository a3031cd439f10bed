import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse, type Program, type SimpleCommand, type Word, type WordPart } from './syntax.ts';

const lit = (text: string, quoted = false): WordPart => ({ kind: 'literal', text, quoted });
const param = (name: string, quoted = false): WordPart => ({ kind: 'param', name, quoted });

function program(source: string): Program {
  const r = parse(source);
  if (!r.ok) throw new Error(`parse failed: ${r.error}`);
  return r.value;
}

/** The only simple command of a one-command source. */
function command(source: string): SimpleCommand {
  const items = program(source);
  expect(items).toHaveLength(1);
  const c = items[0]?.andOr.first.commands[0];
  if (!c) throw new Error('no command');
  return c;
}

const words = (source: string): readonly Word[] => command(source).words;

function failure(source: string): { error: string; incomplete: boolean } {
  const r = parse(source);
  if (r.ok) throw new Error(`expected ${JSON.stringify(source)} to fail`);
  return { error: r.error, incomplete: r.incomplete };
}

describe('parse: words and quoting', () => {
  it('splits words on blanks', () => {
    expect(words('echo  hello\tworld')).toEqual([[lit('echo')], [lit('hello')], [lit('world')]]);
  });

  it('keeps single-quoted text as it is, backslashes and $ included', () => {
    expect(words(`echo 'a $X \\n "b"'`)).toEqual([[lit('echo')], [lit('a $X \\n "b"', true)]]);
  });

  it('expands $ inside double quotes and escapes only $ ` " \\ and newline', () => {
    expect(words('echo "a $X \\$ \\" \\\\ \\n \\a"')).toEqual([
      [lit('echo')],
      [lit('a ', true), param('X', true), lit(' $ " \\ \\n \\a', true)],
    ]);
    expect(words('echo "a\\\nb"')).toEqual([[lit('echo')], [lit('ab', true)]]);
  });

  it('joins adjacent quoted and unquoted pieces into one word', () => {
    expect(words(`echo "a b"'c d'e\\ f`)).toEqual([
      [lit('echo')],
      [lit('a bc d', true), lit('e'), lit(' ', true), lit('f')],
    ]);
  });

  it('keeps empty quotes as an empty quoted part', () => {
    expect(words(`echo '' ""`)).toEqual([[lit('echo')], [lit('', true)], [lit('', true)]]);
  });

  it('treats a backslash outside quotes as quoting the next character', () => {
    expect(words('echo \\$X \\| \\\\')).toEqual([
      [lit('echo')],
      [lit('$', true), lit('X')],
      [lit('|', true)],
      [lit('\\', true)],
    ]);
  });

  it('joins lines on backslash-newline, inside a word or between words', () => {
    expect(words('echo ab\\\ncd \\\n ef')).toEqual([[lit('echo')], [lit('abcd')], [lit('ef')]]);
  });

  it('keeps multi-line quoted text', () => {
    expect(words("echo 'a\nb'")).toEqual([[lit('echo')], [lit('a\nb', true)]]);
  });
});

describe('parse: parameters', () => {
  it('reads $NAME and ${NAME}', () => {
    expect(words('echo $HOME/x ${A}b $_x1')).toEqual([
      [lit('echo')],
      [param('HOME'), lit('/x')],
      [param('A'), lit('b')],
      [param('_x1')],
    ]);
  });

  it('reads the special parameters, one digit for $N', () => {
    expect(words('echo $? $$ $# $@ $* $0 $9 $10 ${10}')).toEqual([
      [lit('echo')],
      [param('?')],
      [param('$')],
      [param('#')],
      [param('@')],
      [param('*')],
      [param('0')],
      [param('9')],
      [param('1'), lit('0')],
      [param('10')],
    ]);
  });

  it('marks parameters inside double quotes as quoted', () => {
    expect(words('echo "$@" "${X}y"')).toEqual([
      [lit('echo')],
      [param('@', true)],
      [param('X', true), lit('y', true)],
    ]);
  });

  it('keeps a $ not followed by a name as a literal $', () => {
    expect(words('echo $ a$ $- "$" $%')).toEqual([
      [lit('echo')],
      [lit('$')],
      [lit('a$')],
      [lit('$-')],
      [lit('$', true)],
      [lit('$%')],
    ]);
  });

  it('rejects ${...} that is not a plain name', () => {
    expect(failure('echo ${a-b}')).toEqual({ error: 'bad substitution: ${a-b}', incomplete: false });
    expect(failure('echo ${}')).toEqual({ error: 'bad substitution: ${}', incomplete: false });
    expect(failure('echo "${#x}"').error).toBe('bad substitution: ${#x}');
  });
});

describe('parse: comments and blank input', () => {
  it('gives an empty program for empty, blank or comment-only input', () => {
    for (const s of ['', '   ', '\n\n', '# hi', '  # a\n\t# b\n']) expect(program(s)).toEqual([]);
  });

  it('starts a comment only at the start of a word', () => {
    expect(words('echo a#b # c d')).toEqual([[lit('echo')], [lit('a#b')]]);
    expect(words('echo "#" \\# $#')).toEqual([
      [lit('echo')],
      [lit('#', true)],
      [lit('#', true)],
      [param('#')],
    ]);
  });

  it('ends a comment at the newline', () => {
    expect(program('a # one\nb').map((i) => i.text)).toEqual(['a', 'b']);
    expect(program('a;# x\n').map((i) => i.text)).toEqual(['a']);
  });
});

describe('parse: redirections', () => {
  it('defaults < to fd 0 and > and >> to fd 1', () => {
    expect(command('sort <in >out').redirects).toEqual([
      { fd: 0, op: '<', target: [lit('in')] },
      { fd: 1, op: '>', target: [lit('out')] },
    ]);
    expect(command('echo hi >> "log file"').redirects).toEqual([
      { fd: 1, op: '>>', target: [lit('log file', true)] },
    ]);
  });

  it('reads N>, N>>, N<, N>&M, >&M and N<&M', () => {
    const c = command('cmd 2>err 3>>more 4<in 2>&1 >&2 0<&3 x');
    expect(c.words).toEqual([[lit('cmd')], [lit('x')]]);
    expect(c.redirects).toEqual([
      { fd: 2, op: '>', target: [lit('err')] },
      { fd: 3, op: '>>', target: [lit('more')] },
      { fd: 4, op: '<', target: [lit('in')] },
      { fd: 2, op: '>&', target: [lit('1')] },
      { fd: 1, op: '>&', target: [lit('2')] },
      { fd: 0, op: '<&', target: [lit('3')] },
    ]);
  });

  it('takes the fd only when the digits touch the operator', () => {
    const c = command('echo 2 >f');
    expect(c.words).toEqual([[lit('echo')], [lit('2')]]);
    expect(c.redirects).toEqual([{ fd: 1, op: '>', target: [lit('f')] }]);
    expect(command('echo a2>f').words).toEqual([[lit('echo')], [lit('a2')]]);
    expect(command('echo "2">f').redirects[0]?.fd).toBe(1);
  });

  it('allows a target after a blank, and a command of redirections only', () => {
    expect(command('> out').redirects).toEqual([{ fd: 1, op: '>', target: [lit('out')] }]);
    expect(command('> out').words).toEqual([]);
    expect(command('>$F').redirects[0]?.target).toEqual([param('F')]);
  });

  it('needs a target', () => {
    for (const s of ['echo >', 'echo > | x', 'echo 2>&', 'echo > ;', 'echo < > f']) {
      const f = failure(s);
      expect(f.error).toContain('a redirection needs a target');
      expect(f.incomplete).toBe(false);
    }
  });
});

describe('parse: assignments', () => {
  it('takes NAME=value words before the first command word', () => {
    const c = command('a=1 b=2 env c=3');
    expect(c.assignments).toEqual([
      { name: 'a', value: [lit('1')] },
      { name: 'b', value: [lit('2')] },
    ]);
    expect(c.words).toEqual([[lit('env')], [lit('c=3')]]);
  });

  it('allows assignments alone, empty values and quoted or expanded values', () => {
    const c = command(`a=1 e= q="x y"$Z`);
    expect(c.words).toEqual([]);
    expect(c.assignments).toEqual([
      { name: 'a', value: [lit('1')] },
      { name: 'e', value: [] },
      { name: 'q', value: [lit('x y', true), param('Z')] },
    ]);
  });

  it('is no assignment when the name is quoted or not a name', () => {
    expect(command(`"a"=1`).assignments).toEqual([]);
    expect(command('a\\=1').assignments).toEqual([]);
    expect(command('1a=1').assignments).toEqual([]);
    expect(command('=1').assignments).toEqual([]);
    expect(command('a-b=1').words).toEqual([[lit('a-b=1')]]);
  });

  it('takes assignments mixed with redirections before the command word', () => {
    const c = command('>f a=1 cmd');
    expect(c.assignments).toEqual([{ name: 'a', value: [lit('1')] }]);
    expect(c.words).toEqual([[lit('cmd')]]);
  });
});

describe('parse: pipelines, and-or lists and lists', () => {
  it('reads a pipeline', () => {
    const p = program('ls -l | grep x|wc')[0]?.andOr.first;
    expect(p?.negated).toBe(false);
    expect(p?.commands.map((c) => c.words)).toEqual([
      [[lit('ls')], [lit('-l')]],
      [[lit('grep')], [lit('x')]],
      [[lit('wc')]],
    ]);
  });

  it('negates with !, only as a pipeline’s first word', () => {
    expect(program('! grep x f')[0]?.andOr.first.negated).toBe(true);
    expect(program('! ! true')[0]?.andOr.first.negated).toBe(false);
    expect(command('echo !').words).toEqual([[lit('echo')], [lit('!')]]);
    expect(program('"!" x')[0]?.andOr.first.negated).toBe(false);
    expect(failure('!')).toEqual({ error: 'syntax error: `!` needs a command', incomplete: false });
  });

  it('reads a && b || c; d &', () => {
    const items = program('a && b || c; d &');
    expect(items).toHaveLength(2);
    const [first, second] = items;
    expect(first?.background).toBe(false);
    expect(first?.andOr.first.commands[0]?.words).toEqual([[lit('a')]]);
    expect(first?.andOr.rest.map((r) => [r.op, r.pipeline.commands[0]?.words])).toEqual([
      ['&&', [[lit('b')]]],
      ['||', [[lit('c')]]],
    ]);
    expect(second?.background).toBe(true);
    expect(second?.andOr.rest).toEqual([]);
    expect(items.map((i) => i.text)).toEqual(['a && b || c', 'd']);
  });

  it('runs `cmd &` in the background', () => {
    expect(program('sleep 10 &')).toEqual([
      {
        andOr: {
          first: {
            commands: [{ assignments: [], words: [[lit('sleep')], [lit('10')]], redirects: [] }],
            negated: false,
          },
          rest: [],
        },
        background: true,
        text: 'sleep 10',
      },
    ]);
  });

  it('separates items with newlines like ;', () => {
    const items = program('a\n\nb; c\n');
    expect(items.map((i) => i.text)).toEqual(['a', 'b', 'c']);
    expect(items.every((i) => !i.background)).toBe(true);
  });

  it('gives each item its trimmed source text, quotes and all', () => {
    const items = program(`  echo "a  b" | wc 2>&1 &   x=1;  ! false  # note`);
    expect(items.map((i) => i.text)).toEqual(['echo "a  b" | wc 2>&1', 'x=1', '! false']);
    expect(items.map((i) => i.background)).toEqual([true, false, false]);
  });

  it('lets newlines follow |, && and ||', () => {
    const items = program('a |\n\n b &&\n c ||\n # why\n d');
    expect(items).toHaveLength(1);
    expect(items[0]?.andOr.first.commands).toHaveLength(2);
    expect(items[0]?.andOr.rest.map((r) => r.op)).toEqual(['&&', '||']);
    expect(items[0]?.text).toBe('a |\n\n b &&\n c ||\n # why\n d');
  });
});

describe('parse: errors', () => {
  it('asks for more input after a trailing |, && or ||', () => {
    expect(failure('ls |')).toEqual({
      error: 'syntax error: unexpected end of input after `|`',
      incomplete: true,
    });
    expect(failure('a &&')).toEqual({
      error: 'syntax error: unexpected end of input after `&&`',
      incomplete: true,
    });
    expect(failure('a ||\n\n')).toEqual({
      error: 'syntax error: unexpected end of input after `||`',
      incomplete: true,
    });
    expect(failure('a && # later').incomplete).toBe(true);
  });

  it('asks for more input for an unterminated quote, ${ or a trailing backslash', () => {
    expect(failure("echo 'abc")).toEqual({ error: 'unterminated single quote', incomplete: true });
    expect(failure('echo "abc')).toEqual({ error: 'unterminated double quote', incomplete: true });
    expect(failure('echo "abc\\')).toEqual({ error: 'unterminated double quote', incomplete: true });
    expect(failure('echo ${abc').incomplete).toBe(true);
    expect(failure('echo abc \\')).toEqual({
      error: 'syntax error: unexpected end of input after `\\`',
      incomplete: true,
    });
  });

  it('parses once the continuation line arrives', () => {
    expect(program("echo 'a\nb'")).toHaveLength(1);
    expect(program('ls |\nwc')[0]?.andOr.first.commands).toHaveLength(2);
    expect(words('echo a \\\nb')).toEqual([[lit('echo')], [lit('a')], [lit('b')]]);
  });

  it('rejects misplaced operators as real errors', () => {
    expect(failure('| foo')).toEqual({ error: 'syntax error near `|`', incomplete: false });
    expect(failure('a ;;')).toEqual({ error: 'syntax error near `;;`', incomplete: false });
    expect(failure('a; ;')).toEqual({ error: 'syntax error near `;`', incomplete: false });
    expect(failure('&& b')).toEqual({ error: 'syntax error near `&&`', incomplete: false });
    expect(failure('a | | b')).toEqual({ error: 'syntax error near `|`', incomplete: false });
    expect(failure('a & &')).toEqual({ error: 'syntax error near `&`', incomplete: false });
    expect(failure('a || ; b')).toEqual({ error: 'syntax error near `;`', incomplete: false });
  });

  it('reports the first error in the source, not a later unterminated quote', () => {
    expect(failure("| foo 'bar")).toEqual({ error: 'syntax error near `|`', incomplete: false });
    expect(failure('echo \'a" b')).toEqual({ error: 'unterminated single quote', incomplete: true });
  });

  it('says what is not supported', () => {
    const cases: [string, string][] = [
      ['(cd x)', '`(`'],
      ['echo a)', '`)`'],
      ['f() x', '`(`'],
      ['echo `date`', 'command substitution'],
      ['echo "`date`"', 'command substitution'],
      ['echo $(date)', 'command substitution'],
      ['echo "$(date)"', 'command substitution'],
      ['cat <<EOF', '`<<`'],
      ['cat 0<<EOF', '`<<`'],
      ['cmd &>log', '`&>`'],
    ];
    for (const [source, what] of cases) {
      const f = failure(source);
      expect(f.error).toContain(what);
      expect(f.error).toContain('not supported');
      expect(f.incomplete).toBe(false);
    }
    expect(words('echo \\( "(" \\`')).toEqual([
      [lit('echo')],
      [lit('(', true)],
      [lit('(', true)],
      [lit('`', true)],
    ]);
  });
});

describe('parse: properties', () => {
  const safe = fc.string({ unit: fc.constantFrom(...'ab c\t\n$"\\|&;<>()#*`!='.split('')) });

  it('reads any single-quoted text back as one literal word', () => {
    fc.assert(
      fc.property(safe, (s) => {
        expect(words(`echo '${s}'`)).toEqual([[lit('echo')], [lit(s, true)]]);
      }),
    );
  });

  it('never throws on any input, and every failure says why', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'a $\'"\\|&;<>(){}#\n 2!='.split('')) }), (s) => {
        const r = parse(s);
        if (r.ok) expect(Array.isArray(r.value)).toBe(true);
        else expect(r.error.length).toBeGreaterThan(0);
      }),
    );
  });
});
