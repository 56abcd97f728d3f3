import type { Severity } from '../../../../shared/src/report';
import { RULES } from '../../../../shared/src/rules';
import type { FindingSink } from '../diagnostics';
import type { AnalysisSettings, RuleLevel } from '../host';
import { scalarText, type LNode } from '../load/tree';
import type { Model } from '../model/types';
import { tidySpan } from './context';
import { TIERS, type TierSettings } from './tiers';

/** The levels a rule can be set to, in the order messages list them. */
export const RULE_LEVELS: readonly RuleLevel[] = ['off', 'error', 'warning', 'information', 'hint'];

/** Rule levels and tier images after settings, the file's block and the defaults are combined. */
export interface RuleConfig {
  /** The level of `code`: settings, else the file's block, else `fallback` (the rule's default). */
  level(code: string, fallback: Severity): RuleLevel;
  /** Extra images: the union of the settings' and the file's lists. */
  tiers: TierSettings;
}

/** True when `value` is a level a rule can be set to. */
export function isRuleLevel(value: unknown): value is RuleLevel {
  return typeof value === 'string' && (RULE_LEVELS as readonly string[]).includes(value);
}

const BLOCK = '`x-reachability`';
const listOf = (items: readonly string[]): string =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;

/**
 * Reads the project's top-level `x-reachability` block and each service's, reporting every
 * value that cannot be used as `invalid-compose` on that value (the block is ignored there,
 * not guessed at), and combines the result with the editor's or the CLI's settings.
 */
export function resolveConfig(model: Model, settings: AnalysisSettings, sink: FindingSink): RuleConfig {
  const invalid = (message: string, node: { span: LNode['span'] }): void =>
    sink.error('invalid-compose', message, tidySpan(model.texts, node.span));
  const fileLevels = new Map<string, RuleLevel>();
  const fileTiers = { publicImages: [] as string[], dataImages: [] as string[] };

  const block = model.xReachability;
  if (block && !(block.kind === 'scalar' && block.value === null)) {
    if (block.kind !== 'map') {
      invalid(`${BLOCK} must be a mapping with \`rules\` and/or \`tiers\`.`, block);
    } else {
      for (const [key, e] of block.entries) {
        if (key === 'rules') readRules(e.value);
        else if (key === 'tiers') readTiers(e.value);
        else invalid(`${BLOCK}: unknown key \`${key}\` (expected rules or tiers).`, { span: e.keySpan });
      }
    }
  }

  function readRules(node: LNode): void {
    if (node.kind === 'scalar' && node.value === null) return;
    if (node.kind !== 'map') {
      invalid(`${BLOCK}.rules must be a mapping of rule codes to levels.`, node);
      return;
    }
    for (const [code, e] of node.entries) {
      if (!Object.prototype.hasOwnProperty.call(RULES, code)) {
        invalid(`${BLOCK}.rules: unknown rule \`${code}\`.`, { span: e.keySpan });
        continue;
      }
      const v = scalarText(e.value);
      if (isRuleLevel(v)) fileLevels.set(code, v);
      else invalid(`${BLOCK}.rules.${code} must be ${listOf(RULE_LEVELS)}.`, e.value);
    }
  }

  function readTiers(node: LNode): void {
    if (node.kind === 'scalar' && node.value === null) return;
    if (node.kind !== 'map') {
      invalid(`${BLOCK}.tiers must be a mapping with \`public\` and/or \`data\` image lists.`, node);
      return;
    }
    for (const [key, e] of node.entries) {
      const into =
        key === 'public' ? fileTiers.publicImages : key === 'data' ? fileTiers.dataImages : undefined;
      if (!into) {
        invalid(`${BLOCK}.tiers: unknown key \`${key}\` (expected public or data).`, { span: e.keySpan });
        continue;
      }
      const v = e.value;
      if (v.kind === 'scalar' && v.value === null) continue;
      // One image may be written without a list.
      const items = v.kind === 'seq' ? v.items : [v];
      for (const item of items) {
        const name = item.kind === 'scalar' && typeof item.value === 'string' ? item.value : undefined;
        if (name !== undefined && name.trim() !== '') into.push(name.trim());
        else invalid(`${BLOCK}.tiers.${key} must be a list of image names.`, item);
      }
    }
  }

  for (const svc of model.services.values()) {
    const xr = svc.xReachability;
    if (!xr || (xr.kind === 'scalar' && xr.value === null)) continue;
    if (xr.kind !== 'map') {
      invalid(`service ${svc.name}: ${BLOCK} must be a mapping with \`tier\`.`, xr);
      continue;
    }
    for (const [key, e] of xr.entries) {
      if (key !== 'tier') {
        invalid(`service ${svc.name}: ${BLOCK}: unknown key \`${key}\` (expected tier).`, {
          span: e.keySpan,
        });
      } else if (!(TIERS as readonly string[]).includes(scalarText(e.value) ?? '')) {
        invalid(`service ${svc.name}: ${BLOCK}.tier must be ${listOf(TIERS)}.`, e.value);
      }
    }
  }

  const settingLevels = settings.rules ?? {};
  return {
    level(code, fallback) {
      // Settings arrive from JSON (VS Code, the CLI); a value of the wrong kind is ignored.
      const s = Object.prototype.hasOwnProperty.call(settingLevels, code) ? settingLevels[code] : undefined;
      if (isRuleLevel(s)) return s;
      return fileLevels.get(code) ?? fallback;
    },
    tiers: {
      publicImages: [...(settings.tiers?.publicImages ?? []), ...fileTiers.publicImages],
      dataImages: [...(settings.tiers?.dataImages ?? []), ...fileTiers.dataImages],
    },
  };
}
