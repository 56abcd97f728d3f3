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
export class FindingSink {
  readonly findings: RawFinding[] = [];

  add(f: RawFinding): void {
    this.findings.push(f.message.length > MAX_MESSAGE_CHARS ? { ...f, message: boundMessage(f.message) } : f);
  }

  error(code: string, message: string, span: Span, related?: RawRelated[]): void {
    this.add({ code, severity: 'error', message, span, ...(related ? { related } : {}) });
  }

  /** Replaces the findings collected so far (the rules stage filters and re-levels them). */
  replace(findings: readonly RawFinding[]): void {
    this.findings.splice(0, this.findings.length, ...findings);
  }

  hasErrors(): boolean {
    return this.findings.some((f) => f.severity === 'error');
  }
}
