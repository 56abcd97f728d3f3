/** Helpers the configuration-file parsers share: comments out of the way, offsets kept. */
import { tokenHost, type EvidenceRef } from './refs';

/**
 * `text` with every comment replaced by spaces, so offsets stay those of the file. A comment
 * starts at `marker` outside quotes, where the character before it is a line start or a blank
 * (`http://x#frag` keeps its `#`).
 */
export function blankComments(text: string, markers: readonly string[] = ['#']): string {
  const chars = text.split('');
  let quote: string | undefined;
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    if (c === '\n') {
      quote = undefined;
      continue;
    }
    if (quote) {
      if (c === quote && chars[i - 1] !== '\\') quote = undefined;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      continue;
    }
    const before = i === 0 ? '\n' : chars[i - 1]!;
    if (
      (before === '\n' || before === ' ' || before === '\t') &&
      markers.some((m) => text.startsWith(m, i))
    ) {
      for (; i < chars.length && chars[i] !== '\n'; i++) chars[i] = ' ';
      i--;
    }
  }
  return chars.join('');
}

/** Ports below 80 still plausible in a `host:port` found in free text. */
const LOW_WELL_KNOWN_PORTS = new Set(['21', '22', '25', '53']);

/**
 * A careful scan of free text: URL authorities and `host:port` words (ports from 80, or
 * 21/22/25/53), never a bare name. Words end at blanks, quotes, commas, brackets and `;`.
 */
export function freeTextHosts(text: string, from = 0): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  for (const m of text.matchAll(/[^\s"'`,;()[\]{}<>=|]+/g)) {
    const ref = tokenHost(m[0], from + m.index);
    if (!ref) continue;
    if (
      !m[0].includes('://') &&
      ref.port !== undefined &&
      Number(ref.port) < 80 &&
      !LOW_WELL_KNOWN_PORTS.has(ref.port)
    )
      continue;
    out.push(ref);
  }
  return out;
}

/** The value words after a directive: `name value value ...` up to `;`, `{` or the line's end. */
export function directiveArgs(
  text: string,
  directive: RegExp,
): Array<{ word: string; at: number; index: number }> {
  const out: Array<{ word: string; at: number; index: number }> = [];
  for (const m of text.matchAll(directive)) {
    const start = m.index + m[0].length;
    const end = text.slice(start).search(/[;{}\n]/);
    const args = end < 0 ? text.slice(start) : text.slice(start, start + end);
    let index = 0;
    for (const w of args.matchAll(/\S+/g)) {
      let word = w[0];
      let at = start + w.index;
      // Quoted arguments: the host is inside the quotes.
      if (/^["'].*["']$/.test(word) && word.length >= 2) {
        word = word.slice(1, -1);
        at++;
      }
      out.push({ word, at, index: index++ });
    }
  }
  return out;
}
