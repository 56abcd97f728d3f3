import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpolate, type InterpolationIssue } from '../../../server/src/engine/load/interpolate';

/** SET has a value, EMPTY is set but empty, anything else is unset. */
const ENV: Record<string, string> = { SET: 'value', EMPTY: '', A: 'a', B: 'b', lower: 'low' };
const lookup = (name: string): string | undefined => (Object.hasOwn(ENV, name) ? ENV[name] : undefined);

function run(text: string, env: (name: string) => string | undefined = lookup) {
  return interpolate(text, env);
}

function unsetWarning(name: string, offset: number, length: number): InterpolationIssue {
  return {
    severity: 'warning',
    message: `The "${name}" variable is not set. Defaulting to a blank string.`,
    kind: 'unset',
    name,
    offset,
    length,
  };
}

function invalid(expression: string, offset: number): InterpolationIssue {
  return {
    severity: 'error',
    message: `invalid interpolation format for "${expression}"`,
    kind: 'syntax',
    offset,
    length: expression.length,
  };
}

function loneDollar(expression: string, offset: number): InterpolationIssue {
  return {
    severity: 'error',
    message: `invalid interpolation format for "${expression}": write "$$" for a literal "$"`,
    kind: 'lone-dollar',
    offset,
    length: expression.length,
  };
}

describe('plain references', () => {
  test('$VAR and ${VAR} take the value when set', () => {
    assert.deepEqual(run('$SET'), { value: 'value', issues: [] });
    assert.deepEqual(run('${SET}'), { value: 'value', issues: [] });
    assert.deepEqual(run('image: ${SET}:latest'), { value: 'image: value:latest', issues: [] });
  });

  test('a set but empty variable is blank without a warning', () => {
    assert.deepEqual(run('[$EMPTY][${EMPTY}]'), { value: '[][]', issues: [] });
  });

  test('an unset variable is blank with a warning on its expression', () => {
    assert.deepEqual(run('x $NOPE y'), { value: 'x  y', issues: [unsetWarning('NOPE', 2, 5)] });
    assert.deepEqual(run('x ${NOPE} y'), { value: 'x  y', issues: [unsetWarning('NOPE', 2, 7)] });
  });

  test('names are [A-Za-z_][A-Za-z0-9_]* and stop at the first other character', () => {
    assert.deepEqual(run('$lower'), { value: 'low', issues: [] });
    assert.deepEqual(run('x$A-y'), { value: 'xa-y', issues: [] });
    assert.deepEqual(run('$A.b/$B:1'), { value: 'a.b/b:1', issues: [] });
    const r = run('$SET_2x');
    assert.equal(r.value, '');
    assert.deepEqual(r.issues, [unsetWarning('SET_2x', 0, 7)]);
    assert.deepEqual(run('${_u}').issues, [unsetWarning('_u', 0, 5)]);
  });

  test('Go folds ſ (U+017F) and K (U+212A) into [a-z], so compose accepts them in names', () => {
    const seen: string[] = [];
    const r = run('$ſ${K}', (name) => {
      seen.push(name);
      return name;
    });
    assert.deepEqual(seen, ['ſ', 'K']);
    assert.deepEqual(r, { value: 'ſK', issues: [] });
  });

  test('adjacent expressions', () => {
    assert.deepEqual(run('${A}${B}'), { value: 'ab', issues: [] });
    assert.deepEqual(run('$A$B'), { value: 'ab', issues: [] });
    assert.deepEqual(run('${A}$B${SET}'), { value: 'abvalue', issues: [] });
    assert.deepEqual(run('$A${NOPE}$B').issues, [unsetWarning('NOPE', 2, 7)]);
  });
});

describe('operators', () => {
  // Expected value for a variable that is set (to "value"), set but empty, and unset.
  const table: [op: string, set: string, empty: string, unset: string][] = [
    [':-', 'value', 'arg', 'arg'],
    ['-', 'value', '', 'arg'],
    [':+', 'arg', '', ''],
    ['+', 'arg', 'arg', ''],
    [':?', 'value', 'ERROR', 'ERROR'],
    ['?', 'value', '', 'ERROR'],
  ];
  for (const [op, ...expected] of table) {
    test(`\${VAR${op}arg} for a set, an empty and an unset variable`, () => {
      ['SET', 'EMPTY', 'UNSET'].forEach((name, i) => {
        const text = `<\${${name}${op}arg}>`;
        const r = run(text);
        if (expected[i] === 'ERROR') {
          assert.equal(r.value, '<>', text);
          assert.deepEqual(
            r.issues,
            [
              {
                severity: 'error',
                message: `required variable ${name} is missing a value: arg`,
                kind: 'required',
                name,
                offset: 1,
                length: text.length - 2,
              },
            ],
            text,
          );
        } else {
          // No operator form warns, not even when the variable is unset.
          assert.deepEqual(r, { value: `<${expected[i]}>`, issues: [] }, text);
        }
      });
    });
  }

  test('the required message is the text after the operator, omitted when empty', () => {
    assert.equal(
      run('${DB_PASSWORD:?set it}').issues[0]?.message,
      'required variable DB_PASSWORD is missing a value: set it',
    );
    assert.equal(
      run('${DB_PASSWORD?}').issues[0]?.message,
      'required variable DB_PASSWORD is missing a value',
    );
    assert.equal(run('${EMPTY:?}').issues[0]?.message, 'required variable EMPTY is missing a value');
  });

  test('the argument may be empty', () => {
    assert.deepEqual(run('[${NOPE:-}][${NOPE-}][${SET:+}][${SET+}]'), { value: '[][][][]', issues: [] });
  });

  test('only the first operator after the name counts; the rest is argument text', () => {
    assert.deepEqual(run('${EMPTY:-/non:-alphanumeric}'), { value: '/non:-alphanumeric', issues: [] });
    assert.deepEqual(run('${NOPE-myerror?msg}'), { value: 'myerror?msg', issues: [] });
    assert.deepEqual(run('${SET?bar-baz}'), { value: 'value', issues: [] });
    assert.equal(
      run('${NOPE?bar-baz}').issues[0]?.message,
      'required variable NOPE is missing a value: bar-baz',
    );
    assert.deepEqual(run('${NOPE:-a:b=c,d}'), { value: 'a:b=c,d', issues: [] });
  });

  test('every failing expression is reported, and the text around them is kept', () => {
    const r = run('${X:?one} and ${Y?two}');
    assert.equal(r.value, ' and ');
    assert.deepEqual(
      r.issues.map((i) => [i.severity, i.offset, i.length]),
      [
        ['error', 0, 9],
        ['error', 14, 8],
      ],
    );
  });
});

describe('nesting', () => {
  test('defaults and replacements are themselves interpolated', () => {
    assert.deepEqual(run('${NOPE:-${NOPE2:-x}}'), { value: 'x', issues: [] });
    assert.deepEqual(run('${NOPE:-${B:-x}}'), { value: 'b', issues: [] });
    assert.deepEqual(run('${A:-${B:-x}}'), { value: 'a', issues: [] });
    assert.deepEqual(run('${NOPE-${SET} ${SET}}'), { value: 'value value', issues: [] });
    assert.deepEqual(run('${NOPE:-$SET}'), { value: 'value', issues: [] });
    assert.deepEqual(run('${SET:+[${A}]}'), { value: '[a]', issues: [] });
    assert.deepEqual(run('${NOPE:-$$}'), { value: '$', issues: [] });
  });

  test('the required message quotes its argument as written, never a value', () => {
    const r = run('${NOPE:?need ${SET}}');
    assert.equal(r.issues[0]?.message, 'required variable NOPE is missing a value: need ${SET}');
  });

  test('issues inside a used argument point into the argument', () => {
    assert.deepEqual(run('${NOPE:-${NOPE2}}'), { value: '', issues: [unsetWarning('NOPE2', 8, 8)] });
    assert.deepEqual(run('${NOPE:-${}}').issues, [invalid('${}', 8)]);
  });

  test('an argument that is not used is not interpolated, so it cannot warn or fail', () => {
    assert.deepEqual(run('${SET:-${NOPE2}}'), { value: 'value', issues: [] });
    assert.deepEqual(run('${SET:-${}}'), { value: 'value', issues: [] });
    assert.deepEqual(run('${NOPE:+${}}'), { value: '', issues: [] });
    assert.deepEqual(run('${SET:?${NOPE2}}'), { value: 'value', issues: [] });
  });

  test('text after a nested expression continues normally', () => {
    assert.deepEqual(run('${NOPE:-${A}x}-${B}'), { value: 'ax-b', issues: [] });
    assert.deepEqual(run('${NOPE:-a} and ${SET}'), { value: 'a and value', issues: [] });
    assert.deepEqual(run('${NOPE:-x} }'), { value: 'x }', issues: [] });
  });

  test('compose-go takes the argument up to the last "}" on the line when braces do not balance', () => {
    // The greedy match swallows `${B` as the argument: harmless while A is set...
    assert.deepEqual(run('${A:-${B}'), { value: 'a', issues: [] });
    // ...and an invalid template once the default is needed.
    assert.deepEqual(run('${NOPE:-${B}').issues, [invalid('${B', 8)]);
  });

  test('compose-go skips the character after every "{" when balancing braces', () => {
    // The `}` right after `{` is not counted, so the default runs to the last brace.
    assert.deepEqual(run('${NOPE:-{}} }'), { value: '{}} ', issues: [] });
    assert.deepEqual(run('${NOPE:-{x}}'), { value: '{x}', issues: [] });
  });
});

describe('escaping', () => {
  test('$$ is a literal $ and stops what follows from being interpolated', () => {
    assert.deepEqual(run('$$'), { value: '$', issues: [] });
    assert.deepEqual(run('$${SET}'), { value: '${SET}', issues: [] });
    assert.deepEqual(run('$$SET'), { value: '$SET', issues: [] });
    assert.deepEqual(run('$$$SET'), { value: '$value', issues: [] });
    assert.deepEqual(run('$$$$'), { value: '$$', issues: [] });
    assert.deepEqual(run('echo $$1 $${'), { value: 'echo $1 ${', issues: [] });
  });
});

describe('malformed expressions', () => {
  test('a brace form compose cannot parse is an error over the whole expression', () => {
    assert.deepEqual(run('${}'), { value: '${}', issues: [invalid('${}', 0)] });
    assert.deepEqual(run('${VAR'), { value: '${VAR', issues: [invalid('${VAR', 0)] });
    assert.deepEqual(run('x ${VAR:x} y'), { value: 'x ${VAR:x} y', issues: [invalid('${VAR:x}', 2)] });
    assert.deepEqual(run('${ foo}').issues, [invalid('${ foo}', 0)]);
    assert.deepEqual(run('${foo }').issues, [invalid('${foo }', 0)]);
    assert.deepEqual(run('${foo!}').issues, [invalid('${foo!}', 0)]);
    assert.deepEqual(run('${1A}').issues, [invalid('${1A}', 0)]);
    assert.deepEqual(run('${A=x}').issues, [invalid('${A=x}', 0)]);
    assert.deepEqual(run('${A:}').issues, [invalid('${A:}', 0)]);
    assert.deepEqual(run('${').issues, [invalid('${', 0)]);
  });

  test('the message quotes the expression exactly', () => {
    assert.equal(run('${VAR').issues[0]?.message, 'invalid interpolation format for "${VAR"');
  });

  test('without a closing brace the span ends at whitespace, and scanning goes on after it', () => {
    const r = run('pre ${VAR:-x and $SET');
    assert.deepEqual(r.issues, [invalid('${VAR:-x', 4)]);
    assert.equal(r.value, 'pre ${VAR:-x and value');
  });

  test('an operator expression must close on its own line', () => {
    assert.deepEqual(run('${NOPE:-x\n}').issues, [invalid('${NOPE:-x', 0)]);
    assert.deepEqual(run('${NOPE:-x}\n}'), { value: 'x\n}', issues: [] });
  });

  test('a $ followed by anything but a name, { or $ is an error, not a literal', () => {
    assert.deepEqual(run('$1'), { value: '$1', issues: [loneDollar('$1', 0)] });
    assert.deepEqual(run('a $ b'), { value: 'a $ b', issues: [loneDollar('$ ', 2)] });
    assert.deepEqual(run('cost: 5$'), { value: 'cost: 5$', issues: [loneDollar('$', 7)] });
    assert.deepEqual(run('$}').issues, [loneDollar('$}', 0)]);
    assert.deepEqual(run('$-x').issues, [loneDollar('$-', 0)]);
    assert.deepEqual(run('$\nx').issues, [loneDollar('$', 0)]);
  });

  test('all problems of one string are reported in order', () => {
    const r = run('$1 ${} ${NOPE} ${X:?}');
    assert.deepEqual(
      r.issues.map((i) => [i.severity, i.offset, i.length]),
      [
        ['error', 0, 2],
        ['error', 3, 3],
        ['warning', 7, 7],
        ['error', 15, 6],
      ],
    );
  });
});

describe('offsets', () => {
  test('are UTF-16 indices, whatever comes before the $', () => {
    assert.deepEqual(run('héllo ${NOPE}').issues, [unsetWarning('NOPE', 6, 7)]);
    assert.deepEqual(run('日本語$NOPE').issues, [unsetWarning('NOPE', 3, 5)]);
    // The emoji is a surrogate pair: two code units.
    assert.deepEqual(run('😀 ${VAR').issues, [invalid('${VAR', 3)]);
    assert.equal(run('😀 $NOPE').value, '😀 ');
  });

  test('a lone $ before an astral character quotes the whole character', () => {
    assert.deepEqual(run('x$😀').issues, [loneDollar('$😀', 1)]);
  });
});

describe('fast path', () => {
  test('a string without $ comes back unchanged and the lookup is never consulted', () => {
    const text = 'postgres://db:5432/app?sslmode=disable {not} }{ 100%';
    let calls = 0;
    const r = interpolate(text, () => {
      calls++;
      return 'x';
    });
    assert.equal(r.value, text);
    assert.deepEqual(r.issues, []);
    assert.equal(calls, 0);
    assert.deepEqual(interpolate('', lookup), { value: '', issues: [] });
  });

  test('the lookup is consulted once per expression', () => {
    const seen: string[] = [];
    interpolate('$A ${B} ${C:-x} $$D', (name) => {
      seen.push(name);
      return undefined;
    });
    assert.deepEqual(seen, ['A', 'B', 'C']);
  });
});
