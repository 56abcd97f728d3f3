import type { Severity } from '../../../shared/src/report';
import type { Span } from './load/tree';

/** A related place of an engine finding, still in offsets. */
export interface RawRelated {
  span: Span;
  message: string;
}

/**
 * A finding inside the engine: offsets, not line/character. The report stage converts it
 * once into the shared `Finding`.
 */
export interface RawFinding {
  code: string;
  severity: Severity;
  message: string;
  span: Span;
  related?: RawRelated[];
  data?: unknown;
  tags?: Array<'unnecessary' | 'deprecated'>;
}

/** The longest message kept whole: a message quoting a huge scalar must not become a huge output. */
export const MAX_MESSAGE_CHARS = 1000;

/** `message` cut at MAX_MESSAGE_CHARS, saying how much was left out. */
export function boundMessage(message: string): string {
  if (message.length <= MAX_MESSAGE_CHARS) return message;
  return `${message.slice(0, MAX_MESSAGE_CHARS)}… (${message.length - MAX_MESSAGE_CHARS} more characters)`;
}

/** Collects findings while a stage runs; stages never throw for bad input. */
/**
 * Related locations kept per finding. A finding about thousands of services (every data
 * store one public service reaches on a flat network) says no more with each of them listed,
 * and thousands of such findings held every one of them: a 10,000-service project ran out of
 * memory. The rest are counted in the last entry.
 */
export const MAX_RELATED = 20;

export class FindingSink {
  readonly findings: RawFinding[] = [];

  add(f: RawFinding): void {
    this.findings.push(bounded(f));
  }

  error(code: string, message: string, span: Span, related?: RawRelated[]): void {
    this.add({ code, severity: 'error', message, span, ...(related ? { related } : {}) });
  }

  /** Replaces the findings collected so far (the rules stage filters and re-levels them). */
  replace(findings: readonly RawFinding[]): void {
    // Not `splice(0, n, ...findings)`: spreading passes every finding as an argument, and past
    // ~100,000 of them that overflows the stack.
    const kept = findings === this.findings ? [...findings] : findings;
    this.findings.length = 0;
    for (const f of kept) this.findings.push(bounded(f));
  }

  hasErrors(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }
}

/** The finding with its message and related locations within their bounds. */
function bounded(f: RawFinding): RawFinding {
  const g = f.message.length > MAX_MESSAGE_CHARS ? { ...f, message: boundMessage(f.message) } : f;
  return boundRelated(g);
}

function boundRelated(f: RawFinding): RawFinding {
  const related = f.related;
  if (!related || related.length <= MAX_RELATED) return f;
  const more = related.length - (MAX_RELATED - 1);
  return {
    ...f,
    related: [
      ...related.slice(0, MAX_RELATED - 1),
      { span: f.span, message: `… and ${more} more related locations` },
    ],
  };
}
