/**
 * Shell-like word splitting that remembers where each character of a word was written, so
 * that a host found inside a quoted or escaped word can still point at its exact characters.
 * Not a shell: enough of POSIX quoting to find words and the operators between commands.
 */

/** A word after quote removal, or an operator (`;`, `&&`, `|` ...) between commands. */
export interface ShellToken {
  text: string;
  /** Source offset of each character of `text`. */
  at: number[];
  /** True for `;`, `&`, `&&`, `|`, `||`, `(`, `)` and newlines outside quotes. */
  op: boolean;
  /**
   * The span to point at when the characters cannot be located one by one: the whole scalar
   * whose source spells the value otherwise (escapes, interpolation).
   */
  whole?: { start: number; end: number };
}

/**
 * Splits `text` into words and operators. `at[i]` is where `text[i]` was written (identity when
 * omitted), so a script inside a word (`sh -c "..."`) splits again with the word's `at`.
 * Unterminated quotes end at the end of the text; `#` at the start of a word starts a comment.
 */
export function splitShell(
  text: string,
  at?: readonly number[],
  whole?: { start: number; end: number },
): ShellToken[] {
  const pos = (i: number): number => (at ? (at[i] ?? (at[at.length - 1] ?? 0) + 1) : i);
  const out: ShellToken[] = [];
  let word: string[] | undefined;
  let wordAt: number[] = [];
  const push = (ch: string, i: number): void => {
    word ??= [];
    word.push(ch);
    wordAt.push(pos(i));
  };
  const end = (): void => {
    if (word) out.push({ text: word.join(''), at: wordAt, op: false, ...(whole ? { whole } : {}) });
    word = undefined;
    wordAt = [];
  };
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r') {
      end();
      i++;
    } else if (c === '\n' || c === ';' || c === '&' || c === '|' || c === '(' || c === ')') {
      end();
      const two = text.slice(i, i + 2);
      const op = two === '&&' || two === '||' ? two : c;
      out.push({ text: op, at: [...op].map((_, k) => pos(i + k)), op: true, ...(whole ? { whole } : {}) });
      i += op.length;
    } else if (c === '#' && !word) {
      while (i < text.length && text[i] !== '\n') i++;
    } else if (c === "'") {
      word ??= [];
      for (i++; i < text.length && text[i] !== "'"; i++) push(text[i]!, i);
      i++;
    } else if (c === '"') {
      word ??= [];
      for (i++; i < text.length && text[i] !== '"'; i++) {
        if (text[i] === '\\' && i + 1 < text.length && '"\\$`'.includes(text[i + 1]!)) i++;
        push(text[i]!, i);
      }
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      // A backslash-newline joins lines; any other escaped character is itself.
      if (text[i + 1] !== '\n') push(text[i + 1]!, i + 1);
      i += 2;
    } else {
      push(c, i);
      i++;
    }
  }
  end();
  return out;
}

/**
 * The source span of `token.text[from, to)`, when its characters are written side by side
 * (no quote or escape between them); otherwise the whole token's span.
 */
export function tokenSpan(token: ShellToken, from: number, to: number): { start: number; end: number } {
  if (token.whole) return token.whole;
  const a = token.at[from];
  const b = token.at[to - 1];
  if (a !== undefined && b !== undefined && b - a === to - 1 - from) return { start: a, end: b + 1 };
  return { start: token.at[0] ?? 0, end: (token.at[token.at.length - 1] ?? 0) + 1 };
}
