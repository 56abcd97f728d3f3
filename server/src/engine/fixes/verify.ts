/**
 * The proof behind every fix: the edited text is analysed again, and the fix is kept only
 * when the new analysis shows what it promised. The checks are the guarantees the README
 * gives, so a fix that cannot keep them is never offered.
 */
import type { Via } from '../../../../shared/src/report';
import type { RawFinding } from '../diagnostics';
import type { EngineHost } from '../host';
import { analyzeProject, type ProjectAnalysis } from '../index';
import { applyToTexts, findOverlap, type TextEdit } from './edits';

/** `host` answering `changed` files from memory: the edited text, before anything is written. */
export function overlayHost(host: EngineHost, changed: ReadonlyMap<string, string>): EngineHost {
  return {
    env: host.env,
    readFile: (p) => changed.get(p) ?? host.readFile(p),
    fileExists: (p) => changed.has(p) || host.fileExists(p),
    ...(host.listDirectory ? { listDirectory: host.listDirectory.bind(host) } : {}),
  };
}

/** The analysis of the project with `changed` files in place of what was read. */
export function reanalyze(analysis: ProjectAnalysis, changed: ReadonlyMap<string, string>): ProjectAnalysis {
  return analyzeProject(analysis.options, overlayHost(analysis.host, changed), analysis.settings);
}

/** New texts of the files the edits touch; throws on overlapping edits. */
export function editedTexts(analysis: ProjectAnalysis, edits: readonly TextEdit[]): Map<string, string> {
  const overlap = findOverlap(edits);
  if (overlap) throw new Error(`overlapping edits in ${overlap[0].file}`);
  return applyToTexts(analysis.model.texts, edits);
}

/**
 * What a finding is about, stable across edits that do not fix it: rule code and the
 * services, network or port it names (from its data), else its message.
 */
export function subjectKey(f: Pick<RawFinding, 'code' | 'message' | 'data'>): string {
  const d = (typeof f.data === 'object' && f.data !== null ? f.data : {}) as Record<string, unknown>;
  const port = (p: unknown): string => {
    const x = (p ?? {}) as Record<string, unknown>;
    return `${String(x['hostIp'])}:${String(x['published'])}:${String(x['target'])}/${String(x['protocol'])}`;
  };
  const s = (k: string): string => String(d[k] ?? '');
  switch (f.code) {
    case 'public-reaches-data':
      return `${f.code} ${s('from')}>${s('to')} ${s('via')} ${
        d['via'] === 'published-port'
          ? port(d['port'])
          : d['via'] === 'namespace'
            ? s('service')
            : s('network')
      }`;
    case 'flat-network':
    case 'network-not-internal':
    case 'unused-network':
      if (d['network'] !== undefined) return `${f.code} ${s('network')}`;
      break;
    case 'unreachable-dependency':
      if (d['from'] !== undefined) return `${f.code} ${s('from')}>${s('to')}`;
      break;
    case 'data-port-published':
    case 'admin-console-exposed':
      if (d['service'] !== undefined) return `${f.code} ${s('service')} ${port(d)}`;
      break;
    case 'docker-socket':
      if (d['service'] !== undefined) return `${f.code} ${s('service')}`;
      break;
  }
  return `${f.code} ${f.message}`;
}

/** Findings no fix may bring: the isolation the fixes are for, and broken dependencies. */
const GUARDED = new Set([
  'public-reaches-data',
  'flat-network',
  'unreachable-dependency',
  'undefined-network',
]);

const direct = (vias: readonly Via[]): boolean => vias.some((v) => v.kind !== 'published-port');

/**
 * Problems with `after` as the result of fixing `finding` in `before`: an error that was not
 * there, a needed link that no longer works (a link through a network must stay one: a
 * published port does not resolve the service's name), or the finding still there.
 */
export function checkFixed(before: ProjectAnalysis, finding: RawFinding, after: ProjectAnalysis): string[] {
  const problems: string[] = [];
  const errors = new Map<string, number>();
  // By subject: an error that stays but reads differently (it names the networks) is not new.
  for (const f of before.findings) {
    if (f.severity !== 'error') continue;
    const k = subjectKey(f);
    errors.set(k, (errors.get(k) ?? 0) + 1);
  }
  for (const f of after.findings) {
    if (f.severity !== 'error') continue;
    const k = subjectKey(f);
    const n = errors.get(k) ?? 0;
    if (n > 0) errors.set(k, n - 1);
    else problems.push(`new error: ${f.message}`);
  }
  for (const [from, needs] of before.graph.needs) {
    for (const n of needs) {
      const was = before.graph.reach.vias(from, n.target);
      if (was.length === 0) continue;
      const now = after.graph.reach.vias(from, n.target);
      if (now.length === 0 || (direct(was) && !direct(now))) {
        problems.push(`${from} no longer reaches ${n.target}, which it needs`);
      }
    }
  }
  const key = subjectKey(finding);
  if (after.findings.some((f) => subjectKey(f) === key))
    problems.push(`the finding is still there: ${finding.message}`);
  // A fix must not open an isolation problem elsewhere (or the fix loop would chase it).
  const had = new Set(before.findings.map(subjectKey));
  for (const f of after.findings) {
    if ((f.code === finding.code || GUARDED.has(f.code)) && !had.has(subjectKey(f))) {
      problems.push(`new finding: ${f.message}`);
    }
  }
  return [...new Set(problems)];
}
