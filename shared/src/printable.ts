/**
 * Names from a compose file as people see them: shared, so the CLI, the matrix formats and
 * the webview's copied Markdown escape the same characters.
 */

/**
 * `s` with every character a terminal or a reader could be fooled by written as an escape:
 * C0 and C1 controls, DEL, lone surrogates (bytes that were not UTF-8) and the bidirectional
 * overrides. Output of names from a file goes through it: a service named with `ESC[2J` must
 * not clear the terminal of whoever runs `check`.
 */
export function printable(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\0-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]|\p{Cs}/gu, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100
      ? `\\x${code.toString(16).padStart(2, '0')}`
      : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/** Printable except that tabs and line breaks are escaped too: for one-line messages. */
export function printableLine(s: string): string {
  return printable(s).replace(/[\t\n\r]/g, (c) => (c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r'));
}
