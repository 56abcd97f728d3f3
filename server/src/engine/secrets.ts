/**
 * Keeps values that came from the environment out of what the tool prints. Messages are
 * written to name variables, not quote values, but a message quoting a value it was handed
 * (an invalid network name, a port, an image) cannot know where that value came from; this
 * is the one place that does, applied to every finding before any output format sees it.
 *
 * A value counts when a compose file refers to its variable (`$NAME`, `${NAME...}`) and the
 * process environment or an env file read for interpolation sets it: that is exactly what
 * interpolation can have put into the project. Each occurrence in a message becomes
 * `${NAME}`, which reads like the compose text the user wrote. A value that a compose file
 * also spells out (`POSTGRES_DB=postgres` beside `image: postgres`) is no secret from its
 * reader, and replacing it would rename services and networks in every message.
 */
import type { ReachabilityReport } from '../../../shared/src/report';
import type { RawFinding } from './diagnostics';
import type { EngineHost } from './host';
import type { LoadedProject } from './load/project';

/**
 * Values shorter than this are left alone: they cannot hold a secret worth the name, and
 * replacing `80` or `db` everywhere would garble unrelated text.
 */
const MIN_SECRET_LENGTH = 3;

const REFERENCE = /\$\{?([A-Za-z_][A-Za-z0-9_]*)/g;

/** Replaces environment values in text with the variable that holds them. */
export interface Redactor {
  redact(text: string): string;
}

/** A redactor for the values interpolation could have taken from the environment. */
export function projectRedactor(project: LoadedProject, host: EngineHost): Redactor {
  const byValue = new Map<string, string>();
  const names = new Set<string>();
  const composeTexts: string[] = [];
  for (const file of project.files) {
    const text = project.texts.get(file);
    if (text === undefined) continue;
    composeTexts.push(text);
    if (text.includes('$')) for (const m of text.matchAll(REFERENCE)) names.add(m[1]!);
  }
  for (const name of names) {
    const values = [host.env[name], ...(project.envFileValues.get(name) ?? [])];
    for (const value of values) {
      if (
        value !== undefined &&
        value.trim().length >= MIN_SECRET_LENGTH &&
        !byValue.has(value) &&
        !composeTexts.some((text) => text.includes(value))
      )
        byValue.set(value, `\${${name}}`);
    }
  }
  return redactorOf(byValue);
}

/** A redactor replacing each key of `byValue` with its value; longer values first. */
export function redactorOf(byValue: ReadonlyMap<string, string>): Redactor {
  if (byValue.size === 0) return { redact: (text) => text };
  const values = [...byValue.keys()].sort((a, b) => b.length - a.length);
  const pattern = new RegExp(values.map(escapeRegExp).join('|'), 'g');
  return { redact: (text) => (text === '' ? text : text.replace(pattern, (v) => byValue.get(v)!)) };
}

/** The findings with environment values taken out of their messages. */
export function redactFindings(findings: readonly RawFinding[], redactor: Redactor): RawFinding[] {
  return findings.map((f) => {
    const message = redactor.redact(f.message);
    const related = f.related?.map((r) => ({ ...r, message: redactor.redact(r.message) }));
    return { ...f, message, ...(related ? { related } : {}) };
  });
}

/**
 * Masks, in the report, the values interpolation may have filled in: image, container name,
 * the tier's reason (it quotes the image), aliases, Docker's network names, and the keys of
 * networks only a service's list names. Keys written in the file are never masked (a value a
 * compose file spells out is not redacted at all). The report's lazy parts stay lazy: they
 * are masked when first built.
 */
export function maskReportValues(report: ReachabilityReport, redactor: Redactor): void {
  const r = redactor.redact;
  onceBuilt(report, 'services', (services) => {
    for (const s of services) {
      if (s.image !== undefined) s.image = r(s.image);
      if (s.containerName !== undefined) s.containerName = r(s.containerName);
      if (s.tier) s.tier = { ...s.tier, reason: r(s.tier.reason) };
      for (const n of s.networks) {
        n.network = r(n.network);
        n.aliases = n.aliases.map(r);
      }
    }
  });
  onceBuilt(report, 'networks', (networks) => {
    for (const n of networks) {
      n.key = r(n.key);
      n.dockerName = r(n.dockerName);
    }
  });
}

/** Runs `mask` on `report[key]` now if it is built, else when its getter first builds it. */
function onceBuilt<K extends 'services' | 'networks'>(
  report: ReachabilityReport,
  key: K,
  mask: (value: ReachabilityReport[K]) => void,
): void {
  const get = Object.getOwnPropertyDescriptor(report, key)?.get;
  if (!get) return mask(report[key]);
  Object.defineProperty(report, key, {
    configurable: true,
    enumerable: true,
    get() {
      // The original getter replaces this property by the value it builds; masking that
      // value in place keeps it masked from then on.
      const value = get.call(report) as ReachabilityReport[K];
      mask(value);
      return value;
    },
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
