import type { Location, Position } from '../../../../shared/src/report';
import type { Span } from '../load/tree';

/**
 * Converts offsets to LSP positions. Offsets are UTF-16 indices (JavaScript string indices),
 * which is what LSP's `character` counts, so only lines need finding.
 */
export class Locator {
  private readonly lineStarts = new Map<string, number[]>();

  constructor(private readonly texts: ReadonlyMap<string, string>) {}

  position(file: string, offset: number): Position {
    const starts = this.starts(file);
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - starts[lo]! };
  }

  location(span: Span): Location {
    return {
      file: span.file,
      range: { start: this.position(span.file, span.start), end: this.position(span.file, span.end) },
    };
  }

  private starts(file: string): number[] {
    let starts = this.lineStarts.get(file);
    if (!starts) {
      starts = [0];
      const text = this.texts.get(file) ?? '';
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.lineStarts.set(file, starts);
    }
    return starts;
  }
}
