/**
 * The rules stage: tiers, then every isolation rule, then the project's and the user's
 * configuration (levels, `off`) and inline suppressions over all findings, load errors
 * included.
 */
import type { Severity } from '../../../../shared/src/report';
import { ISOLATION_RULES, RULES } from '../../../../shared/src/rules';
import type { FindingSink, RawFinding } from '../diagnostics';
import type { Graph } from '../graph/graph';
import type { AnalysisSettings } from '../host';
import type { Model } from '../model/types';
import { resolveConfig } from './config';
import { RuleContext, tidySpan, type Rule } from './context';
import { adminConsoleExposed } from './adminConsoleExposed';
import { dataPortPublished } from './dataPortPublished';
import { dockerSocket } from './dockerSocket';
import { externalNetwork } from './externalNetwork';
import { flatNetwork } from './flatNetwork';
import { hostNetworkMode } from './hostNetworkMode';
import { networkNotInternal } from './networkNotInternal';
import { portsUnpublishedInternal } from './portsUnpublishedInternal';
import { publicReachesData } from './publicReachesData';
import { suppressionFilter } from './suppress';
import { tierClassifier, type TierInfo } from './tiers';
import { unreachableDependency } from './unreachableDependency';
import { unusedNetwork } from './unusedNetwork';

/** Every isolation rule, in the order of the rule table. */
export const ISOLATION_RULE_IMPLS: readonly Rule[] = [
  publicReachesData,
  flatNetwork,
  unreachableDependency,
  dataPortPublished,
  networkNotInternal,
  portsUnpublishedInternal,
  hostNetworkMode,
  dockerSocket,
  adminConsoleExposed,
  externalNetwork,
  unusedNetwork,
];

const RANK: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };
const MILDER: Record<Severity, Severity> = {
  error: 'warning',
  warning: 'information',
  information: 'hint',
  hint: 'hint',
};

/** What the rules stage hands to the report. */
export interface RulesResult {
  /** Tier of every service (inactive ones too: the tier they have when their profile is on). */
  tiers: Map<string, TierInfo>;
}

/**
 * Runs the isolation rules on the model and graph and applies levels and suppressions to
 * everything in `sink` (earlier stages' findings included). Pure; cost O(services + edges).
 */
export function runRules(
  model: Model,
  graph: Graph,
  settings: AnalysisSettings,
  sink: FindingSink,
): RulesResult {
  const config = resolveConfig(model, settings, sink);

  const classify = tierClassifier(config.tiers);
  const tiers = new Map<string, TierInfo>();
  for (const svc of model.services.values()) {
    // An inactive service has no graph entry; its ports count as they would when it runs.
    const ports = graph.ports.get(svc.name) ?? svc.ports.map((p) => ({ ...p, effective: true }));
    tiers.set(svc.name, classify(svc, ports));
  }

  const ctx = new RuleContext(model, graph, tiers);
  const isolation: RawFinding[] = [];
  for (const rule of ISOLATION_RULE_IMPLS) {
    const meta = ISOLATION_RULES[rule.code as keyof typeof ISOLATION_RULES];
    const level = config.level(rule.code, meta.defaultSeverity);
    if (level === 'off') continue;
    rule.run(ctx, ({ uncertain, milder, span, related, ...f }) => {
      // An uncertain finding is never louder than information, whatever the rule's level.
      let severity = uncertain && RANK[level] < RANK.information ? 'information' : level;
      if (milder && level === meta.defaultSeverity && RANK[severity] < RANK.hint) severity = MILDER[severity];
      isolation.push({
        code: rule.code,
        severity,
        span: tidySpan(model.texts, span),
        ...(related ? { related: related.map((r) => ({ ...r, span: tidySpan(model.texts, r.span) })) } : {}),
        ...f,
      });
    });
  }

  const silenced = suppressionFilter(model.texts);
  const kept: RawFinding[] = [];
  for (const f of sink.findings) {
    const level = config.level(f.code, RULES[f.code]?.defaultSeverity ?? f.severity);
    if (level === 'off' || silenced(f)) continue;
    kept.push(level === f.severity ? f : { ...f, severity: level });
  }
  for (const f of isolation) if (!silenced(f)) kept.push(f);
  sink.replace(kept);
  return { tiers };
}
