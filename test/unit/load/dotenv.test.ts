import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDotEnv, type DotEnv } from '../../../server/src/engine/load/dotenv';
import { dedent } from '../../support/dedent';

const noEnv = (): string | undefined => undefined;

function parse(text: string, env: Record<string, string> = {}): DotEnv {
  return parseDotEnv(text, (name) => (Object.hasOwn(env, name) ? env[name] : undefined));
}

/** The variables as a plain object, after checking the file parsed cleanly. */
function vars(text: string, env: Record<string, string> = {}): Record<string, string> {
  const r = parse(text, env);
  assert.deepEqual(r.issues, []);
  return Object.fromEntries(r.vars);
}

describe('lines', () => {
  test('KEY=VALUE lines, blank lines and comments', () => {
    const text = dedent`
      # database
      DB_HOST=db

      DB_PORT=5432
        # indented comment
      EMPTY=
    `;
    assert.deepEqual(vars(text), { DB_HOST: 'db', DB_PORT: '5432', EMPTY: '' });
  });

  test('keeps file order, and a repeated key takes the last value', () => {
    const r = parse('B=1\nA=2\nB=3\n');
    assert.deepEqual(
      [...r.vars],
      [
        ['B', '3'],
        ['A', '2'],
      ],
    );
  });

  test('whitespace around the key, the = and the value is trimmed', () => {
    assert.deepEqual(vars('  KEY =  value  \n\tTAB\t=\tv\t\n'), { KEY: 'value', TAB: 'v' });
  });

  test('the value runs to the end of the line and may contain = and :', () => {
    assert.deepEqual(vars('URL=postgres://u:p@db:5432/app?sslmode=disable\nX=a=b\n'), {
      URL: 'postgres://u:p@db:5432/app?sslmode=disable',
      X: 'a=b',
    });
  });

  test('export prefix, with a space or a tab', () => {
    assert.deepEqual(vars('export A=1\nexport\tB=2\n  export   C=3\n'), { A: '1', B: '2', C: '3' });
  });

  test('export is only a prefix when whitespace follows it', () => {
    assert.deepEqual(vars('exportFOO=1\nexport_BAR=2\nexport=3\nexport exportX=4\n'), {
      exportFOO: '1',
      export_BAR: '2',
      export: '3',
      exportX: '4',
    });
  });

  test('YAML-style KEY: value is accepted', () => {
    assert.deepEqual(vars('A: 1\nB: x=y\nC=1:2\n'), { A: '1', B: 'x=y', C: '1:2' });
  });

  test('keys may use letters of any script, digits, _ . - [ ]', () => {
    assert.deepEqual(vars('VAR-WITH-DASHES=1\nVAR.DOT=2\nA[0]=3\nÉTÉ=4\n'), {
      'VAR-WITH-DASHES': '1',
      'VAR.DOT': '2',
      'A[0]': '3',
      ÉTÉ: '4',
    });
  });

  test('Windows line endings', () => {
    assert.deepEqual(vars('A=1\r\nB="two"\r\n# c\r\nC\r\n', { C: 'shell' }), {
      A: '1',
      B: 'two',
      C: 'shell',
    });
  });

  test('a UTF-8 byte order mark is ignored', () => {
    assert.deepEqual(vars('\uFEFFA=1\n'), { A: '1' });
  });

  test('a last line without a newline still counts', () => {
    assert.deepEqual(vars('A=1\nB=2'), { A: '1', B: '2' });
  });
});

describe('inline comments', () => {
  test('an unquoted value ends at " #"', () => {
    assert.deepEqual(vars('A=bar # comment\nB=bar #\nC=bar #no space after\n'), {
      A: 'bar',
      B: 'bar',
      C: 'bar',
    });
  });

  test('a # not preceded by a space is part of the value', () => {
    assert.deepEqual(vars('A=123#not-a-comment\nB=color:#fff\n'), {
      A: '123#not-a-comment',
      B: 'color:#fff',
    });
  });

  test('only a space starts an inline comment, not a tab', () => {
    assert.deepEqual(vars('A=bar\t#x\n'), { A: 'bar\t#x' });
  });

  test('a # inside quotes is kept and a comment may follow the closing quote', () => {
    assert.deepEqual(vars(`A="bar#baz" # comment\nB='ba #r' # comment\nC="x"#\n`), {
      A: 'bar#baz',
      B: 'ba #r',
      C: 'x',
    });
  });
});

describe('quoting', () => {
  test('single quotes are literal: no escapes, no interpolation', () => {
    const written = String.raw`$HOME \n ` + '${X}';
    assert.deepEqual(vars(`A='${written}'\n`), { A: written });
  });

  test('an escaped quote inside its own quotes loses the backslash', () => {
    assert.deepEqual(vars(String.raw`A='it\'s'` + '\n' + String.raw`B="say \"hi\""` + '\n'), {
      A: "it's",
      B: 'say "hi"',
    });
  });

  test('the other quote character needs no escaping', () => {
    assert.deepEqual(vars(`A="it's"\nB='say "hi"'\n`), { A: "it's", B: 'say "hi"' });
  });

  test('double quotes understand the usual escapes', () => {
    const text = String.raw`A="l1\nl2\tt\\b\rr"` + '\n' + String.raw`B="Z\aZ\bZ\fZ\vZ\0123Z"` + '\n';
    assert.deepEqual(vars(text), { A: 'l1\nl2\tt\\b\rr', B: 'Z\x07Z\bZ\fZ\vZSZ' });
  });

  test('unknown escapes keep their backslash, as do malformed octal ones', () => {
    const text = String.raw`A="\x07 \u12e4 \c \ z \0 \012 \0777"` + '\n';
    assert.deepEqual(vars(text), { A: String.raw`\x07 \u12e4 \c \ z \0 \012 \0777` });
  });

  test('an unquoted value keeps its backslashes', () => {
    assert.deepEqual(vars(String.raw`A=a\tb\n` + '\n'), { A: String.raw`a\tb\n` });
  });

  test('quoted values keep surrounding spaces', () => {
    assert.deepEqual(vars(`A="  x  "\nB='  y  '\n`), { A: '  x  ', B: '  y  ' });
  });

  test('double-quoted values may span lines', () => {
    const text = dedent`
      CERT="-----BEGIN-----
      abc
      -----END-----"
      NEXT=1
    `;
    assert.deepEqual(vars(text), { CERT: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
  });

  test('single-quoted values may span lines too', () => {
    assert.deepEqual(vars("A='x\ny'\nB=2\n"), { A: 'x\ny', B: '2' });
  });

  test('text after a closing quote starts another statement, as in compose-go', () => {
    assert.deepEqual(vars('A="x" B=2\nC="y" D\n', { D: 'shell' }), { A: 'x', B: '2', C: 'y', D: 'shell' });
  });
});

describe('interpolation', () => {
  test('unquoted and double-quoted values see keys defined earlier in the file', () => {
    const text = dedent`
      HOST=db
      PORT=5432
      URL=postgres://$HOST:\${PORT}/app
      QUOTED="\${HOST}:\${PORT:-1}"
      DEFAULTED=\${MISSING:-fallback}
    `;
    assert.deepEqual(vars(text), {
      HOST: 'db',
      PORT: '5432',
      URL: 'postgres://db:5432/app',
      QUOTED: 'db:5432',
      DEFAULTED: 'fallback',
    });
  });

  test('later keys are not visible yet, and an unset variable is blank without an issue', () => {
    assert.deepEqual(vars('A=[${B}]\nB=1\n'), { A: '[]', B: '1' });
  });

  test('the lookup is consulted, and wins over an earlier key of the same name', () => {
    const text = 'HOST=file\nA=$HOST\nB=${USER}\n';
    assert.deepEqual(vars(text, { HOST: 'shell', USER: 'me' }), { HOST: 'file', A: 'shell', B: 'me' });
  });

  test('a key can extend its own earlier value', () => {
    assert.deepEqual(vars('P=/bin\nP=${P}:/usr/bin\n'), { P: '/bin:/usr/bin' });
  });

  test('$$ and \\$ give a literal dollar', () => {
    const text = 'A=1\nB=$$A\nC="$$A"\n' + String.raw`D="\$A \${A}"` + '\n';
    assert.deepEqual(vars(text), { A: '1', B: '$A', C: '$A', D: '$A ${A}' });
  });

  test('an inline comment is cut before interpolation', () => {
    assert.deepEqual(vars('A=${X:-a b} # c\n'), { A: 'a b' });
  });
});

describe('keys without a value', () => {
  test('take the value from the lookup when it has one, and are absent otherwise', () => {
    const r = parse('FROM_SHELL\nNOT_SET\n  SPACED  \n', { FROM_SHELL: 'v', SPACED: 's' });
    assert.deepEqual(r.issues, []);
    assert.deepEqual(Object.fromEntries(r.vars), { FROM_SHELL: 'v', SPACED: 's' });
  });

  test('the lookup never overrides a value written in the file', () => {
    assert.deepEqual(vars('A=file\n', { A: 'shell' }), { A: 'file' });
  });

  test('a bare key on the last line without a newline is read as the value of an empty key', () => {
    const r = parse('A=1\nLAST', { LAST: 'shell' });
    assert.deepEqual(r.issues, []);
    assert.deepEqual(Object.fromEntries(r.vars), { A: '1', '': 'LAST' });
  });

  test('an empty key before = is accepted', () => {
    assert.deepEqual(vars('="value"\n'), { '': 'value' });
  });
});

describe('bad lines', () => {
  test('a character that cannot be in a key, at its line and character', () => {
    const r = parse('A=1\n  lol$wut\nB=2\n');
    assert.deepEqual(r.issues, [{ line: 1, character: 5, message: 'unexpected character in variable name' }]);
    assert.deepEqual(Object.fromEntries(r.vars), { A: '1', B: '2' });
  });

  test('a comment after a bare key is not allowed', () => {
    const r = parse('KEY # comment\n');
    assert.deepEqual(r.issues, [{ line: 0, character: 4, message: 'unexpected character in variable name' }]);
    assert.equal(r.vars.size, 0);
  });

  test('a key with a space', () => {
    const r = parse('A=1\nMY KEY=x\nB=2\nSOME THING\n');
    assert.deepEqual(r.issues, [
      { line: 1, character: 2, message: 'key cannot contain a space' },
      { line: 3, character: 4, message: 'key cannot contain a space' },
    ]);
    assert.deepEqual(Object.fromEntries(r.vars), { A: '1', B: '2' });
  });

  test('a key with a space is skipped together with its multi-line value', () => {
    const r = parse('MY KEY="a\nb=c"\nB=2\n');
    assert.deepEqual(r.issues, [{ line: 0, character: 2, message: 'key cannot contain a space' }]);
    assert.deepEqual(Object.fromEntries(r.vars), { B: '2' });
  });

  test('an unterminated quote is reported at the quote and parsing resumes on the next line', () => {
    const r = parse('A=1\nB="open\nC=3\nD=\'x\n');
    assert.deepEqual(r.issues, [
      { line: 1, character: 2, message: 'unterminated quoted value' },
      { line: 3, character: 2, message: 'unterminated quoted value' },
    ]);
    assert.deepEqual(Object.fromEntries(r.vars), { A: '1', C: '3' });
  });

  test('an escaped closing quote does not close', () => {
    const r = parse(String.raw`A="value\"` + '\n');
    assert.equal(r.issues.length, 1);
    assert.match(r.issues[0]!.message, /^unterminated quoted value/);
  });

  test('export with nothing after it', () => {
    assert.deepEqual(parse('export ').issues, [
      { line: 0, character: 0, message: 'expected a variable name after "export"' },
    ]);
  });

  test('interpolation errors point at the expression, and the key still gets a value', () => {
    const text = dedent`
      A=x\${B:?B is required}
      C=cost 5$
      D=\${
    `;
    const r = parse(text);
    assert.deepEqual(r.issues, [
      { line: 0, character: 3, message: 'required variable B is missing a value' },
      {
        line: 1,
        character: 8,
        message: 'invalid interpolation format: write "$$" for a literal "$"',
      },
      { line: 2, character: 2, message: 'invalid interpolation format' },
    ]);
    assert.deepEqual(Object.fromEntries(r.vars), { A: 'x', C: 'cost 5$', D: '${' });
  });

  test('issues in double-quoted values map back through escapes and line breaks', () => {
    const text = 'A="\\t\\"q\\" ${X:?}"\nB="one\ntwo ${}"\n';
    const r = parse(text);
    assert.deepEqual(r.issues, [
      { line: 0, character: 11, message: 'required variable X is missing a value' },
      { line: 2, character: 4, message: 'invalid interpolation format' },
    ]);
  });

  test('characters are UTF-16 offsets within the line', () => {
    const r = parse('😀=1\nA=日本 ${}\n');
    assert.deepEqual(r.issues, [
      { line: 0, character: 0, message: 'unexpected character in variable name' },
      { line: 1, character: 5, message: 'invalid interpolation format' },
    ]);
  });

  test('every bad line is reported, not only the first', () => {
    const r = parse('a b=1\n$x=2\nOK=3\nc d=4\n');
    assert.deepEqual(
      r.issues.map((i) => i.line),
      [0, 1, 3],
    );
    assert.deepEqual(Object.fromEntries(r.vars), { OK: '3' });
  });
});

describe('empty input', () => {
  test('an empty or comment-only file defines nothing', () => {
    assert.deepEqual(parseDotEnv('', noEnv), { vars: new Map(), issues: [] });
    assert.deepEqual(parseDotEnv('\n\n# only comments\n', noEnv), { vars: new Map(), issues: [] });
  });
});
