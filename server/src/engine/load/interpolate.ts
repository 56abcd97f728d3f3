/**
 * Docker Compose variable interpolation of a single string value, matching compose-go's
 * `template` package (the regexp-based `Substitute`), including its quirks, so that what we
 * show is what `docker compose config` would produce.
 *
 * compose-go's behaviour, restated as a scanner over `$`:
 * - `$$` is a literal `$`; `$NAME` and `${NAME}` look NAME up (NAME is `[A-Za-z_][A-Za-z0-9_]*`).
 * - `${NAME<op>...}` with op one of `:-` `-` `:+` `+` `:?` `?`. The regexp's greedy `(.*)`
 *   first runs to the LAST `}` on the same line, then compose-go cuts that match at the first
 *   brace-balanced `}`; the text between op and that `}` is the argument, and is itself
 *   interpolated, but only when it is used.
 * - Any other `$` (`$1`, `$ `, a trailing `$`, `${}`, `${VAR`, `${VAR:x}`) is an "invalid
 *   template" error: compose refuses the file, it does not keep the `$`.
 *
 * Unlike compose we do not stop at the first error: every problem is reported with its offset
 * and the value is a best effort (malformed expressions are kept as written, failed `:?`/`?`
 * expressions become empty) so the rest of the analysis can go on.
 */

/** One problem found while interpolating a string. */
export interface InterpolationIssue {
  /** 'error' stops compose (":?" / "?" failures, malformed syntax); 'warning' for unset variables. */
  severity: 'error' | 'warning';
  /**
   * Human-readable text, worded like compose's own message where compose has one. It quotes
   * the input as written, never a variable's value: in a compose file the user has that text.
   */
  message: string;
  /**
   * What went wrong, for callers whose input must not be quoted (an env file's values):
   * an unset variable, a failed `:?`/`?`, a malformed `${...}`, a `$` alone.
   */
  kind: 'unset' | 'required' | 'syntax' | 'lone-dollar';
  /** The variable concerned, for `unset` and `required`. */
  name?: string;
  /** Offset and length within the input string of the `$...` expression concerned. */
  offset: number;
  length: number;
}

/** The interpolated value together with everything worth telling the user about it. */
export interface Interpolated {
  value: string;
  issues: InterpolationIssue[];
}

/**
 * How deep `${A:-${B:-...}}` may nest. compose-go recurses per level as we do; real files nest
 * two or three levels, and 2,000 overflowed our stack. Deeper arguments are not interpolated.
 */
export const MAX_INTERPOLATION_NESTING = 64;

const DOLLAR = 0x24;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const COLON = 0x3a;
const MINUS = 0x2d;
const PLUS = 0x2b;
const QUESTION = 0x3f;
const NEWLINE = 0x0a;
const CR = 0x0d;

/**
 * Interpolates `text` the way compose does. `lookup` returns undefined for an unset variable;
 * an empty string is a set-but-empty variable (the `:` operators treat it as unset).
 */
export function interpolate(text: string, lookup: (name: string) => string | undefined): Interpolated {
  // Every scalar of every file comes through here and almost none contain `$`.
  if (text.indexOf('$') === -1) return { value: text, issues: [] };
  const issues: InterpolationIssue[] = [];
  const value = substitute(text, 0, text.length, lookup, issues, 0);
  return { value, issues };
}

// compose-go's pattern is case-insensitive, and Go's case folding adds U+017F (long s, folds to
// `s`) and U+212A (Kelvin sign, folds to `k`) to `[_a-z]`, so those two are name characters too.
function isNameStart(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x17f || c === 0x212a;
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39);
}

type Operator = ':-' | '-' | ':+' | '+' | ':?' | '?';

/**
 * Interpolates `text[start, end)`. Arguments of operators are sub-ranges of the same string, so
 * nested issues get absolute offsets without any translation; `end` also bounds every search,
 * as compose-go interpolates an argument as a string of its own.
 */
function substitute(
  text: string,
  start: number,
  end: number,
  lookup: (name: string) => string | undefined,
  issues: InterpolationIssue[],
  depth: number,
): string {
  if (depth > MAX_INTERPOLATION_NESTING) {
    issues.push({
      kind: 'syntax',
      severity: 'error',
      message: `interpolation nests more than ${MAX_INTERPOLATION_NESTING} levels deep; the value was not interpolated`,
      offset: start,
      // The `${` of the level past the limit, not the whole rest of the value.
      length: Math.min(2, end - start),
    });
    return '';
  }
  let out = '';
  let copied = start;
  let at = text.indexOf('$', start);
  while (at !== -1 && at < end) {
    out += text.slice(copied, at);
    const next = at + 1 < end ? text.charCodeAt(at + 1) : -1;
    let stop: number;
    if (next === DOLLAR) {
      out += '$';
      stop = at + 2;
    } else if (isNameStart(next)) {
      stop = at + 2;
      while (stop < end && isNameChar(text.charCodeAt(stop))) stop++;
      out += plain(text.slice(at + 1, stop), at, stop - at, lookup, issues);
    } else if (next === LBRACE) {
      const braced = bracedExpression(text, at, end, lookup, issues, depth);
      out += braced.value;
      stop = braced.stop;
    } else {
      issues.push(loneDollar(text, at, end));
      // Keep the `$` and let the following character be copied as ordinary text.
      out += '$';
      stop = at + 1;
    }
    copied = stop;
    at = text.indexOf('$', stop);
  }
  return out + text.slice(copied, end);
}

function plain(
  name: string,
  offset: number,
  length: number,
  lookup: (name: string) => string | undefined,
  issues: InterpolationIssue[],
): string {
  const value = lookup(name);
  if (value !== undefined) return value;
  issues.push({
    severity: 'warning',
    message: `The ${JSON.stringify(name)} variable is not set. Defaulting to a blank string.`,
    kind: 'unset',
    name,
    offset,
    length,
  });
  return '';
}

/** Handles `${...}` starting at `at` (the `$`); returns the replacement and where scanning resumes. */
function bracedExpression(
  text: string,
  at: number,
  end: number,
  lookup: (name: string) => string | undefined,
  issues: InterpolationIssue[],
  depth: number,
): { value: string; stop: number } {
  const nameStart = at + 2;
  let nameEnd = nameStart;
  if (nameStart < end && isNameStart(text.charCodeAt(nameStart))) {
    nameEnd++;
    while (nameEnd < end && isNameChar(text.charCodeAt(nameEnd))) nameEnd++;
  }
  if (nameEnd === nameStart) return malformed(text, at, end, issues);

  const name = text.slice(nameStart, nameEnd);
  const c = nameEnd < end ? text.charCodeAt(nameEnd) : -1;
  if (c === RBRACE) {
    const stop = nameEnd + 1;
    return { value: plain(name, at, stop - at, lookup, issues), stop };
  }

  let op: Operator;
  let argStart: number;
  const c2 = nameEnd + 1 < end ? text.charCodeAt(nameEnd + 1) : -1;
  if (c === COLON && (c2 === MINUS || c2 === PLUS || c2 === QUESTION)) {
    op = `:${String.fromCharCode(c2)}` as Operator;
    argStart = nameEnd + 2;
  } else if (c === MINUS || c === PLUS || c === QUESTION) {
    op = String.fromCharCode(c) as Operator;
    argStart = nameEnd + 1;
  } else {
    return malformed(text, at, end, issues);
  }

  // The regexp's `.` does not cross a newline, so the closing brace must be on this line.
  let lineEnd = text.indexOf('\n', argStart);
  if (lineEnd === -1 || lineEnd > end) lineEnd = end;
  const lastBrace = lineEnd > argStart ? text.lastIndexOf('}', lineEnd - 1) : -1;
  if (lastBrace < argStart) return malformed(text, at, end, issues);

  const close = balancedClose(text, at, lastBrace);
  const stop = close + 1;
  const value = applyOperator(op, name, text, argStart, close, at, stop - at, lookup, issues, depth);
  return { value, stop };
}

/**
 * compose-go's getFirstBraceClosingIndex over `text[from, last]`: counts every `{` and `}`, and
 * skips the character right after each `{`. That skip is a compose-go quirk we keep so odd
 * defaults split where compose splits them: in `${A:-{}} }` the `}` after `{` is skipped and
 * the default is `{}} `, not `{}`. Without a balancing `}` the whole greedy match,
 * which ends at `last`, is the expression.
 */
function balancedClose(text: string, from: number, last: number): number {
  let depth = 0;
  for (let k = from; k <= last; k++) {
    const c = text.charCodeAt(k);
    if (c === RBRACE) {
      depth--;
      if (depth === 0) return k;
    }
    if (c === LBRACE) {
      depth++;
      k++;
    }
  }
  return last;
}

function applyOperator(
  op: Operator,
  name: string,
  text: string,
  argStart: number,
  argEnd: number,
  offset: number,
  length: number,
  lookup: (name: string) => string | undefined,
  issues: InterpolationIssue[],
  depth: number,
): string {
  const value = lookup(name);
  // The argument is interpolated lazily, as in current compose-go: an unused default with an
  // unset variable or a syntax error in it produces no issue.
  const argument = (into: InterpolationIssue[]): string =>
    substitute(text, argStart, argEnd, lookup, into, depth + 1);
  switch (op) {
    case ':-':
      return value !== undefined && value !== '' ? value : argument(issues);
    case '-':
      return value !== undefined ? value : argument(issues);
    case ':+':
      return value !== undefined && value !== '' ? argument(issues) : (value ?? '');
    case '+':
      return value !== undefined ? argument(issues) : '';
    case ':?':
    case '?': {
      if (value !== undefined && (op === '?' || value !== '')) return value;
      const nested: InterpolationIssue[] = [];
      argument(nested);
      // compose prints the interpolated argument; we quote it as written, so that a
      // `${X:?${SECRET}}` names SECRET instead of printing its value.
      const reason = text.slice(argStart, argEnd);
      issues.push({
        severity: 'error',
        message: `required variable ${name} is missing a value${reason === '' ? '' : `: ${reason}`}`,
        kind: 'required',
        name,
        offset,
        length,
      });
      // The error comes first so issues stay in offset order.
      for (const issue of nested) issues.push(issue);
      return '';
    }
  }
}

/**
 * A `${` that compose-go cannot parse. The reported span runs to the brace that would have
 * closed it on the same line or, failing that, to the first whitespace, so `${VAR` and
 * `${VAR:x}` are quoted whole without swallowing the rest of a long line. Scanning resumes after
 * the span: anything inside it belongs to the broken expression.
 */
function malformed(
  text: string,
  at: number,
  end: number,
  issues: InterpolationIssue[],
): { value: string; stop: number } {
  let stop = -1;
  let depth = 1;
  for (let k = at + 2; k < end; k++) {
    const c = text.charCodeAt(k);
    if (c === NEWLINE) break;
    if (c === LBRACE) depth++;
    else if (c === RBRACE && --depth === 0) {
      stop = k + 1;
      break;
    }
  }
  if (stop === -1) {
    stop = at + 2;
    while (stop < end && !/\s/.test(text[stop] as string)) stop++;
  }
  const expression = text.slice(at, stop);
  issues.push({
    severity: 'error',
    message: `invalid interpolation format for ${JSON.stringify(expression)}`,
    kind: 'syntax',
    offset: at,
    length: stop - at,
  });
  return { value: expression, stop };
}

/**
 * A `$` followed by neither a name, `{` nor `$`. Usually a literal dollar the author forgot to
 * double (passwords, shell snippets), hence the hint. The span includes the following
 * character, if any on the same line, so the message shows what was written.
 */
function loneDollar(text: string, at: number, end: number): InterpolationIssue {
  let stop = at + 1;
  if (stop < end) {
    const c = text.charCodeAt(stop);
    if (c !== NEWLINE && c !== CR) stop += c >= 0xd800 && c <= 0xdbff && stop + 1 < end ? 2 : 1;
  }
  return {
    severity: 'error',
    message: `invalid interpolation format for ${JSON.stringify(text.slice(at, stop))}: write "$$" for a literal "$"`,
    kind: 'lone-dollar',
    offset: at,
    length: stop - at,
  };
}
