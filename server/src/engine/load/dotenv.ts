/**
 * Compose `.env` files, parsed the way compose-go's `dotenv` package (v2) parses them,
 * including the oddities users actually run into:
 * - statements, not lines: a quoted value may span lines, and whatever follows a closing
 *   quote on the same line starts the next statement (`A="x" y` also inherits `y`);
 * - `KEY: value` works like `KEY=value`; keys may contain letters, digits, `_ . - [ ]`;
 * - unquoted values stop at the newline, then at the first ` #` (space then hash, so
 *   `A=1#2` keeps its hash), and lose trailing whitespace;
 * - single quotes are literal except that `\'` is a quote; double quotes understand
 *   `\a \b \f \n \r \t \v \\ \" \$` and `\0NNN` octal, keep any other backslash, and interpolate;
 * - a key alone on its line copies the value from the lookup when it has one; when such a key
 *   is the very last thing in the file with no newline after it, compose-go reads it as the
 *   VALUE of an empty key instead, and so do we.
 *
 * compose gives up on the first error; we report each one and carry on with the next line.
 * Messages never quote the file's text: an env file holds secrets, and messages reach CI logs.
 * They say what is wrong; the position says where.
 */

import { interpolate, type InterpolationIssue } from './interpolate';
import { expansionBudget, type ExpansionBudget } from './parse';

/** A problem in a `.env` file; compose refuses to load a file with any of these. */
export interface DotEnvIssue {
  /** 0-based line of the offending character. */
  line: number;
  /** 0-based UTF-16 offset within that line. */
  character: number;
  message: string;
}

/**
 * Where one variable is written: its key, and its value as it stands in the source (quotes
 * included, so a consumer can tell a value spelled as it is from an escaped or interpolated
 * one). A key listed without a value, copied from the lookup, has its key's range as value.
 */
export interface DotEnvSpan {
  keyStart: number;
  keyEnd: number;
  valueStart: number;
  valueEnd: number;
}

/** The variables a `.env` file defines, in file order, and the problems found on the way. */
export interface DotEnv {
  vars: Map<string, string>;
  issues: DotEnvIssue[];
}

/**
 * Parses a `.env` file. `lookup` is the environment the file is read in (usually the shell):
 * it supplies keys listed without a value, and it wins over the file's own earlier keys when a
 * value refers to a variable, exactly as compose-go's lookup order has it. The file's values
 * are returned as written, without applying the lookup on top; precedence between the two is
 * the caller's business.
 *
 * Only failures are reported; unset variables referenced from values are silently blank, as
 * compose merely logs them.
 */
export function parseDotEnv(
  text: string,
  lookup: (name: string) => string | undefined,
  /** Filled with where each variable is written (its last definition), when given. */
  spans?: Map<string, DotEnvSpan>,
): DotEnv {
  return new DotEnvParser(text, lookup, spans).parse();
}

/**
 * An env file in the `raw` format docker compose registers (`env_file: {format: raw}`), read
 * as `docker run --env-file` reads it (docker/cli kvfile): one `KEY=VALUE` per line, the value
 * verbatim (no quotes, no escapes, no interpolation, no trailing comment), leading blanks and
 * `#` lines skipped, a `KEY` alone copied from the lookup when it has a value.
 */
export function parseRawEnv(
  text: string,
  lookup: (name: string) => string | undefined,
  spans?: Map<string, DotEnvSpan>,
): DotEnv {
  const vars = new Map<string, string>();
  const issues: DotEnvIssue[] = [];
  let lineStart = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (let line = 0; lineStart <= text.length; line++) {
    const nl = text.indexOf('\n', lineStart);
    const lineEnd = nl === -1 ? text.length : nl;
    let start = lineStart;
    while (start < lineEnd && isUnicodeSpace(text.charCodeAt(start))) start++;
    if (start < lineEnd && text.charCodeAt(start) !== HASH) {
      // bufio.Scanner's ScanLines drops the carriage return of a CRLF line.
      const end = text.charCodeAt(lineEnd - 1) === 0x0d ? lineEnd - 1 : lineEnd;
      const eq = text.indexOf('=', start);
      const keyEnd = eq === -1 || eq > end ? end : eq;
      const key = text.slice(start, keyEnd);
      if (/[ \t\n\v\f\r]/.test(key)) {
        issues.push({ line, character: start - lineStart, message: 'a variable name contains whitespace' });
      } else if (key === '') {
        issues.push({ line, character: start - lineStart, message: 'no variable name on line' });
      } else if (keyEnd < end) {
        vars.set(key, text.slice(eq + 1, end));
        spans?.set(key, { keyStart: start, keyEnd, valueStart: eq + 1, valueEnd: end });
      } else {
        const value = lookup(key);
        if (value !== undefined) {
          vars.set(key, value);
          spans?.set(key, { keyStart: start, keyEnd, valueStart: start, valueEnd: keyEnd });
        }
      }
    }
    if (nl === -1) break;
    lineStart = nl + 1;
  }
  return { vars, issues };
}

const NL = 0x0a;
const HASH = 0x23;
const SINGLE_QUOTE = 0x27;
const DOUBLE_QUOTE = 0x22;

/** Go's unicode.IsSpace. */
function isUnicodeSpace(c: number): boolean {
  return (
    (c >= 0x09 && c <= 0x0d) ||
    c === 0x20 ||
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000
  );
}

/** compose-go's isSpace: blanks that never end a line. */
function isBlank(c: number): boolean {
  return c === 0x09 || c === 0x0b || c === 0x0c || c === 0x0d || c === 0x20 || c === 0x85 || c === 0xa0;
}

const KEY_RUNE = /[\p{L}\p{N}_.\-[\]]/u;

/** The ASCII part of KEY_RUNE, tested without building a string per character. */
function isAsciiKeyChar(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) ||
    (c >= 0x41 && c <= 0x5a) ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x5f ||
    c === 0x2e ||
    c === 0x2d ||
    c === 0x5b ||
    c === 0x5d
  );
}

/** Thrown internally to abandon the current statement; caught per statement. */
class StatementError {
  constructor(
    readonly offset: number,
    readonly message: string,
  ) {}
}

class DotEnvParser {
  private readonly vars = new Map<string, string>();
  private readonly issues: DotEnvIssue[] = [];
  private lineStarts: number[] | undefined;
  /**
   * Characters of all values, against the same limit as YAML's aliases (parse.ts): each line
   * of `V{i}=${V{i-1}}${V{i-1}}` doubles the last, and 27 of them made 700 MB.
   */
  private readonly budget: ExpansionBudget;
  /** The last hit of `indexOf` for each character `quotedValue` looks for; -2: none left. */
  private readonly hits = new Map<string, number>();

  constructor(
    private readonly text: string,
    private readonly lookup: (name: string) => string | undefined,
    private readonly spans?: Map<string, DotEnvSpan>,
  ) {
    this.budget = expansionBudget(text.length);
  }

  parse(): DotEnv {
    // compose-go drops a UTF-8 BOM; offsets stay relative to the text we were given.
    let pos = this.text.charCodeAt(0) === 0xfeff ? 1 : 0;
    for (;;) {
      pos = this.statementStart(pos);
      if (pos >= this.text.length) break;
      try {
        pos = this.statement(pos);
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        this.report(e.offset, e.message);
        pos = this.lineAfter(e.offset);
      }
    }
    return { vars: this.vars, issues: this.issues };
  }

  /** Skips whitespace (newlines included) and whole-line `#` comments. */
  private statementStart(pos: number): number {
    const { text } = this;
    for (;;) {
      while (pos < text.length && isUnicodeSpace(text.charCodeAt(pos))) pos++;
      if (pos >= text.length || text.charCodeAt(pos) !== HASH) return pos;
      const nl = text.indexOf('\n', pos);
      if (nl === -1) return text.length;
      pos = nl;
    }
  }

  /** Parses one statement starting at `start`; returns where the next one may begin. */
  private statement(start: number): number {
    const { text } = this;
    let keyStart = start;
    // `export` needs whitespace after it (Go's `\s`, which includes a newline) to be a prefix.
    if (text.startsWith('export', start) && /^[\t\n\f\r ]/.test(text.slice(start + 6, start + 7))) {
      keyStart = start + 6;
      while (keyStart < text.length && isBlank(text.charCodeAt(keyStart))) keyStart++;
      if (keyStart >= text.length) throw new StatementError(start, 'expected a variable name after "export"');
    }

    let terminator = -1;
    let k = keyStart;
    while (k < text.length) {
      const c = text.codePointAt(k) as number;
      const width = c > 0xffff ? 2 : 1;
      if (c === 0x3d /* = */ || c === 0x3a /* : */ || c === NL) {
        terminator = k;
        break;
      }
      if (!isAsciiKeyChar(c) && !isBlank(c) && !KEY_RUNE.test(String.fromCodePoint(c))) {
        throw new StatementError(k, 'unexpected character in variable name');
      }
      k += width;
    }

    // Running out of text before `=`, `:` or a newline leaves compose-go with an empty key and
    // the whole remainder as its value.
    const rawKey = terminator === -1 ? '' : text.slice(keyStart, terminator);
    const key = trimEndUnicodeSpace(rawKey);
    const inherited = terminator !== -1 && text.charCodeAt(terminator) === NL;
    const space = key.indexOf(' ');
    if (space !== -1) {
      this.report(keyStart + space, 'key cannot contain a space');
      if (inherited) return terminator + 1;
      // Skip the value too, so a multi-line quoted value does not turn into bogus statements;
      // if even that fails, the key's issue is the one worth showing.
      try {
        return this.value(this.valueStart(terminator + 1), true).next;
      } catch (e) {
        if (!(e instanceof StatementError)) throw e;
        return this.lineAfter(terminator);
      }
    }
    const keyEnd = keyStart + key.length;
    if (inherited) {
      const value = this.lookup(key);
      if (value !== undefined) {
        this.vars.set(key, value);
        this.spans?.set(key, { keyStart, keyEnd, valueStart: keyStart, valueEnd: keyEnd });
      }
      return terminator + 1;
    }
    const from = terminator === -1 ? this.valueStart(keyStart) : this.valueStart(terminator + 1);
    const { value, next, end } = this.value(from, false);
    this.budget.expanded += value.length;
    if (this.budget.expanded > this.budget.limit) {
      // Named, never shown: the value may be a secret, and is too large to print anyway.
      this.report(
        keyStart,
        `variable ${key} expands to more than the ${this.budget.limit} characters this file may define in all; it is left unset`,
      );
      this.budget.expanded -= value.length;
      return next;
    }
    this.vars.set(key, value);
    this.spans?.set(key, {
      keyStart,
      keyEnd: terminator === -1 ? keyStart : keyEnd,
      valueStart: from,
      valueEnd: end,
    });
    return next;
  }

  private valueStart(pos: number): number {
    while (pos < this.text.length && isBlank(this.text.charCodeAt(pos))) pos++;
    return pos;
  }

  /** Reads the value at `start`; with `skipOnly`, only finds where it ends, reporting nothing. */
  private value(start: number, skipOnly: boolean): { value: string; next: number; end: number } {
    const { text } = this;
    const quote = text.charCodeAt(start);
    if (quote !== SINGLE_QUOTE && quote !== DOUBLE_QUOTE) {
      let lineEnd = text.indexOf('\n', start);
      if (lineEnd === -1) lineEnd = text.length;
      if (skipOnly) return { value: '', next: lineEnd, end: lineEnd };
      let raw = text.slice(start, lineEnd);
      const comment = raw.indexOf(' #');
      if (comment !== -1) raw = raw.slice(0, comment);
      raw = trimEndUnicodeSpace(raw);
      return { value: this.expand(raw, (i) => start + i), next: lineEnd, end: start + raw.length };
    }

    const quoted = this.quotedValue(start, quote);
    if (quoted === undefined) throw new StatementError(start, 'unterminated quoted value');
    const { chars, toSource, close } = quoted;
    if (skipOnly || quote === SINGLE_QUOTE) return { value: chars, next: close + 1, end: close + 1 };
    const unescaped = expandEscapes(chars);
    return {
      value: this.expand(unescaped.text, (j) =>
        j < unescaped.text.length ? toSource.at(unescaped.toChars.at(j)) : close,
      ),
      next: close + 1,
      end: close + 1,
    };
  }

  /**
   * The text between the quote at `start` and its closing quote, with only an escaped quote
   * losing its backslash (the rest is expandEscapes' job), and where each of its characters
   * came from. Copied in runs between escaped quotes, with one offset per run rather than per
   * character: a 20 MB value once took 43 s and 1.3 GB. Undefined when the quote is not closed.
   */
  private quotedValue(
    start: number,
    quote: number,
  ): { chars: string; toSource: OffsetMap; close: number } | undefined {
    const { text } = this;
    const quoteChar = String.fromCharCode(quote);
    const parts: string[] = [];
    const toSource = new OffsetMap();
    let length = 0;
    const copy = (from: number, to: number): void => {
      if (to <= from) return;
      toSource.linear(length, from);
      parts.push(text.slice(from, to));
      length += to - from;
    };
    let runStart = start + 1;
    let i = start + 1;
    for (;;) {
      const q = this.next(quoteChar, i);
      const b = this.next('\\', i);
      if (q === -1) return undefined;
      if (b !== -1 && b < q) {
        if (b + 1 >= text.length) return undefined;
        if (text.charCodeAt(b + 1) === quote) {
          copy(runStart, b);
          toSource.linear(length, b + 1);
          parts.push(quoteChar);
          length += 1;
          runStart = b + 2;
        }
        i = b + 2;
        continue;
      }
      copy(runStart, q);
      return { chars: parts.join(''), toSource, close: q };
    }
  }

  /**
   * The first `ch` at or after `from`. Hits are kept, so that the whole file is searched once
   * for each character however many values and backslashes it has.
   */
  private next(ch: string, from: number): number {
    const hit = this.hits.get(ch);
    if (hit === -2) return -1;
    if (hit !== undefined && hit >= from) return hit;
    const found = this.text.indexOf(ch, from);
    this.hits.set(ch, found === -1 ? -2 : found);
    return found;
  }

  /** Interpolates a value: the lookup first, then keys defined earlier in this file. */
  private expand(raw: string, sourceOf: (index: number) => number): string {
    const result = interpolate(raw, (name) => this.lookup(name) ?? this.vars.get(name));
    for (const issue of result.issues) {
      if (issue.severity === 'error') this.report(sourceOf(issue.offset), safeMessage(issue));
    }
    return result.value;
  }

  private report(offset: number, message: string): void {
    const { line, character } = this.position(offset);
    this.issues.push({ line, character, message });
  }

  private lineAfter(offset: number): number {
    const nl = this.text.indexOf('\n', offset);
    return nl === -1 ? this.text.length : nl + 1;
  }

  private position(offset: number): { line: number; character: number } {
    if (this.lineStarts === undefined) {
      const starts = [0];
      for (let i = this.text.indexOf('\n'); i !== -1; i = this.text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts = starts;
    }
    const starts = this.lineStarts;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - (starts[lo] as number) };
  }
}

/** An interpolation issue in words that quote nothing of the value. */
function safeMessage(issue: InterpolationIssue): string {
  switch (issue.kind) {
    case 'required':
    case 'unset':
      return `required variable ${issue.name ?? ''} is missing a value`;
    case 'lone-dollar':
      return 'invalid interpolation format: write "$$" for a literal "$"';
    case 'syntax':
      return 'invalid interpolation format';
  }
}

function trimEndUnicodeSpace(s: string): string {
  let end = s.length;
  while (end > 0 && isUnicodeSpace(s.charCodeAt(end - 1))) end--;
  return s.slice(0, end);
}

const ESCAPE = /\\(?:[abcfnrtv$"\\]|0[0-9]{0,3})/g;
const SIMPLE_ESCAPES: Record<string, string> = {
  a: '\x07',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '"': '"',
  '\\': '\\',
  // `$` is not an escape to Go; compose-go turns `\$` into `$$` so interpolation keeps a `$`.
  $: '$$',
};

/**
 * compose-go's expandEscapes for double-quoted values, with where each output character came
 * from in `chars`. `\0` followed by exactly three octal digits (at most `\0377`) is a byte
 * value; `\c` and shorter or out-of-range octal forms are kept as written, as Go's UnquoteChar
 * rejects them.
 */
function expandEscapes(chars: string): { text: string; toChars: OffsetMap } {
  const parts: string[] = [];
  const toChars = new OffsetMap();
  let length = 0;
  let copied = 0;
  const copy = (from: number, to: number): void => {
    if (to <= from) return;
    toChars.linear(length, from);
    parts.push(chars.slice(from, to));
    length += to - from;
  };
  for (const m of chars.matchAll(ESCAPE)) {
    const at = m.index;
    copy(copied, at);
    const escape = m[0];
    const letter = escape[1] as string;
    let replacement: string | undefined = SIMPLE_ESCAPES[letter];
    if (letter === '0') {
      const octal = escape.slice(2);
      replacement =
        /^[0-7]{3}$/.test(octal) && parseInt(octal, 8) <= 0xff
          ? String.fromCharCode(parseInt(octal, 8))
          : undefined;
    }
    if (replacement === undefined) {
      copy(at, at + escape.length);
    } else {
      // Every character of a replacement comes from its backslash.
      toChars.constant(length, at);
      parts.push(replacement);
      length += replacement.length;
    }
    copied = at + escape.length;
  }
  copy(copied, chars.length);
  return { text: parts.join(''), toChars };
}

/**
 * A map of offsets in a built string back to offsets in the string it was built from, by runs:
 * a run copied as it is maps each character to its own source, a run written for an escape
 * maps all of its characters to the escape's start.
 */
class OffsetMap {
  private readonly starts: number[] = [];
  private readonly sources: number[] = [];
  private readonly copied: boolean[] = [];

  /** From `at` on, character `at + k` comes from `source + k`. */
  linear(at: number, source: number): void {
    this.starts.push(at);
    this.sources.push(source);
    this.copied.push(true);
  }

  /** From `at` on (until the next run), every character comes from `source`. */
  constant(at: number, source: number): void {
    this.starts.push(at);
    this.sources.push(source);
    this.copied.push(false);
  }

  at(offset: number): number {
    const { starts } = this;
    let lo = 0;
    let hi = starts.length - 1;
    if (hi < 0) return offset;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= offset) lo = mid;
      else hi = mid - 1;
    }
    const source = this.sources[lo] as number;
    return this.copied[lo] ? source + (offset - (starts[lo] as number)) : source;
  }
}

/** The offset of an issue's zero-based line and character in the env file's text. */
export function offsetAt(text: string, line: number, character: number): number {
  let offset = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', offset);
    if (nl < 0) return text.length;
    offset = nl + 1;
  }
  return Math.min(offset + character, text.length);
}
