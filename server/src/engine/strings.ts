/**
 * A copy of `s` that holds no reference to a larger string. V8 makes a substring of a long
 * string (`text.slice`, and every scalar `yaml` reads from a file) a view that keeps the whole
 * string alive: a fragment kept from one keystroke would keep that keystroke's 850 KB file
 * with it, and a memo key the file it was read from. Flattening a new concatenation copies
 * the characters, which `slice` alone does not.
 */
export function detach(s: string): string {
  return (' ' + s).slice(1);
}

import { printable } from '../../../shared/src/printable';

export { printable, printableLine } from '../../../shared/src/printable';

/**
 * The offset and description of the first character Docker's YAML reader rejects in a compose
 * file (it takes tab, line breaks and printable Unicode only), or undefined. Bytes that were
 * not UTF-8 reach the engine as lone surrogates U+DC80..U+DCFF (host/encoding.ts).
 */
export function firstRejectedCharacter(text: string): { offset: number; message: string } | undefined {
  // eslint-disable-next-line no-control-regex
  const m = /[\0-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]|\p{Cs}/u.exec(text);
  if (!m) return undefined;
  const code = m[0].charCodeAt(0);
  if (code >= 0xdc80 && code <= 0xdcff)
    return {
      offset: m.index,
      message: `Byte 0x${(code - 0xdc00).toString(16)} is not valid UTF-8: Docker rejects the file.`,
    };
  if (code >= 0xd800 && code <= 0xdfff)
    return {
      offset: m.index,
      message: 'A lone UTF-16 surrogate is not a character: Docker rejects the file.',
    };
  return {
    offset: m.index,
    message: `Control character ${printable(m[0])} is not allowed in a compose file: Docker rejects the file.`,
  };
}
