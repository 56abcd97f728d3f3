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
