/**
 * The `composeReachability` settings section, as the client sends it, turned into the
 * engine's AnalysisSettings. Settings come from a user's JSON: anything of the wrong shape
 * is left out rather than trusted.
 */
import type { AnalysisSettings, RuleLevel } from '../engine/host';
import { isRuleLevel } from '../engine/rules/config';

/** The configuration section the server reads (`workspace/configuration`). */
export const SETTINGS_SECTION = 'composeReachability';

/** AnalysisSettings from the section's value; unknown keys and ill-typed values are ignored. */
export function toAnalysisSettings(section: unknown): AnalysisSettings {
  if (!isObject(section)) return {};
  const settings: AnalysisSettings = {};
  if (isObject(section.rules)) {
    const rules: Record<string, RuleLevel> = {};
    for (const [code, level] of Object.entries(section.rules)) {
      if (isRuleLevel(level)) rules[code] = level;
    }
    if (Object.keys(rules).length > 0) settings.rules = rules;
  }
  if (isObject(section.tiers)) {
    const tiers: NonNullable<AnalysisSettings['tiers']> = {};
    const publicImages = strings(section.tiers.publicImages);
    const dataImages = strings(section.tiers.dataImages);
    if (publicImages) tiers.publicImages = publicImages;
    if (dataImages) tiers.dataImages = dataImages;
    if (publicImages || dataImages) settings.tiers = tiers;
  }
  return settings;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function strings(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const out = v.filter((s): s is string => typeof s === 'string' && s.trim() !== '').map((s) => s.trim());
  return out.length > 0 ? out : undefined;
}
