import type { RawFinding } from '../diagnostics';

/** The comment that silences findings: `# compose-reachability-ignore [CODE[, CODE]...] [-- why]`. */
export const IGNORE_DIRECTIVE = 'compose-reachability-ignore';

const DIRECTIVE = new RegExp(`^#\\s*${IGNORE_DIRECTIVE}(?![\\w-])(.*)$`);
const COMMENT_LINE = /^\s*#/;

/**
 * Where the comment of a line starts: a `#` at the start or after whitespace, outside quoted
 * scalars (`'it''s'`, `"a \" b"`). -1 when there is none.
 */
function commentStart(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote === '"') {
      if (c === '\\') i++;
      else if (c === '"') quote = undefined;
    } else if (quote === "'") {
      if (c === "'") {
        if (line[i + 1] === "'") i++;
        else quote = undefined;
      }
    } else if (c === '#' && (i === 0 || /\s/.test(line[i - 1]!))) {
      return i;
    } else if ((c === '"' || c === "'") && (i === 0 || /[\s[{,:-]/.test(line[i - 1]!))) {
      quote = c;
    }
  }
  return -1;
}

/** Codes the directive on a line names (an empty set means every code); undefined without one. */
function directiveCodes(line: string): Set<string> | undefined {
  const at = commentStart(line);
  if (at < 0) return undefined;
  const m = DIRECTIVE.exec(line.slice(at));
  if (!m) return undefined;
  // After `--` the author may say why.
  const codes = (m[1] ?? '').split('--')[0]!;
  return new Set(codes.split(/[\s,]+/).filter((c) => c !== ''));
}

/**
 * A predicate telling whether a finding is silenced by a directive on the line it starts on
 * (a trailing comment) or on the comment lines directly above it. Files are split into lines
 * once, on first use.
 */
export function suppressionFilter(texts: ReadonlyMap<string, string>): (f: RawFinding) => boolean {
  // Files without the directive (nearly all) are never split.
  const lines = new Map<string, { starts: number[]; lines: string[] } | null>();
  const linesOf = (file: string): { starts: number[]; lines: string[] } | null => {
    let l = lines.get(file);
    if (l === undefined) {
      const text = texts.get(file);
      if (text === undefined || !text.includes(IGNORE_DIRECTIVE)) {
        lines.set(file, null);
        return null;
      }
      const split = text.split('\n').map((s) => (s.endsWith('\r') ? s.slice(0, -1) : s));
      const starts: number[] = [];
      let at = 0;
      for (const s of text.split('\n')) {
        starts.push(at);
        at += s.length + 1;
      }
      l = { starts, lines: split };
      lines.set(file, l);
    }
    return l;
  };
  const silences = (line: string, code: string): boolean => {
    const codes = directiveCodes(line);
    return codes !== undefined && (codes.size === 0 || codes.has(code));
  };

  return (f) => {
    const l = linesOf(f.span.file);
    if (!l) return false;
    let lo = 0;
    let hi = l.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (l.starts[mid]! <= f.span.start) lo = mid;
      else hi = mid - 1;
    }
    if (silences(l.lines[lo]!, f.code)) return true;
    for (let i = lo - 1; i >= 0 && COMMENT_LINE.test(l.lines[i]!); i--) {
      if (silences(l.lines[i]!, f.code)) return true;
    }
    return false;
  };
}
