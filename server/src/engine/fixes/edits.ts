/**
 * Text edits in offsets: what every fix produces. A fix never re-prints a file; it replaces
 * a few spans and leaves every other byte alone, so comments, quoting and layout survive.
 */

/** Replace `[start, end)` of `file` with `newText` (an insertion when `start === end`). */
export interface TextEdit {
  file: string;
  /** UTF-16 offset, inclusive. */
  start: number;
  /** UTF-16 offset, exclusive. */
  end: number;
  newText: string;
}

/** Thrown when the edits of one fix touch the same text twice: a bug in the fix, never user input. */
export class OverlappingEditsError extends Error {
  constructor(
    readonly a: TextEdit,
    readonly b: TextEdit,
  ) {
    super(`overlapping edits in ${a.file}: [${a.start}, ${a.end}) and [${b.start}, ${b.end})`);
    this.name = 'OverlappingEditsError';
  }
}

/**
 * Edits in the order they apply: by offset; an insertion before a replacement starting at the
 * same offset; otherwise as given, so two insertions at one offset keep the fix's order
 * (a service's new key before a new top-level key, both at the end of the file).
 */
export function sortEdits(edits: readonly TextEdit[]): TextEdit[] {
  return edits
    .map((e, i) => ({ e, i }))
    .sort(
      (x, y) =>
        x.e.start - y.e.start || Number(x.e.end > x.e.start) - Number(y.e.end > y.e.start) || x.i - y.i,
    )
    .map((x) => x.e);
}

/** The first pair of edits of the same file that touch the same text, if any. */
export function findOverlap(edits: readonly TextEdit[]): [TextEdit, TextEdit] | undefined {
  const byFile = groupByFile(edits);
  for (const list of byFile.values()) {
    const sorted = sortEdits(list);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1]!;
      const cur = sorted[i]!;
      // Touching ends are fine; so are insertions at one offset (ordered above).
      if (cur.start < prev.end) return [prev, cur];
    }
  }
  return undefined;
}

/** Edits grouped by file, each group in the given order. */
export function groupByFile(edits: readonly TextEdit[]): Map<string, TextEdit[]> {
  const out = new Map<string, TextEdit[]>();
  for (const e of edits) {
    const list = out.get(e.file);
    if (list) list.push(e);
    else out.set(e.file, [e]);
  }
  return out;
}

/** Applies edits of one file to its text. Throws `OverlappingEditsError` when two overlap. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = sortEdits(edits);
  let out = '';
  let cursor = 0;
  let prev: TextEdit | undefined;
  for (const e of sorted) {
    if (e.start < cursor || e.start > e.end || e.end > text.length) {
      if (prev && e.start < cursor) throw new OverlappingEditsError(prev, e);
      throw new RangeError(`edit [${e.start}, ${e.end}) outside ${e.file} (${text.length} characters)`);
    }
    out += text.slice(cursor, e.start) + e.newText;
    cursor = e.end;
    prev = e;
  }
  return out + text.slice(cursor);
}

/**
 * Applies edits that may span several files. Returns the new text of every file an edit
 * touches; `texts` is not modified. Throws when an edit names a file without text.
 */
export function applyToTexts(
  texts: ReadonlyMap<string, string>,
  edits: readonly TextEdit[],
): Map<string, string> {
  const out = new Map<string, string>();
  for (const [file, list] of groupByFile(edits)) {
    const text = texts.get(file);
    if (text === undefined) throw new Error(`no text for ${file}`);
    out.set(file, applyEdits(text, list));
  }
  return out;
}

/** `texts` with `changed` laid over it. */
export function overlay(
  texts: ReadonlyMap<string, string>,
  changed: ReadonlyMap<string, string>,
): Map<string, string> {
  const out = new Map(texts);
  for (const [file, text] of changed) out.set(file, text);
  return out;
}
