/**
 * Where the documentation lives. One place, so the editor's links, SARIF and the README
 * cannot drift apart.
 */

/** The README, whose rule sections carry `rule-<code>` anchors. */
export const README_URL = 'https://github.com/compose-reachability/compose-reachability/blob/main/README.md';

/** The README section that explains a rule. */
export function ruleHelpUrl(code: string): string {
  return `${README_URL}#rule-${code}`;
}
