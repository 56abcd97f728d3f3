/** Remove a network declaration no service uses (`unused-network`). */
import type { FixContext } from './context';
import type { TextEdit } from './edits';
import type { Candidate } from './types';
import { CannotEdit, isAlias, isMap, type YNode, type YPair } from './yamlEdit';
import type { YAMLMap } from 'yaml';

/** Remove the declaration from every file that declares the network. */
export function removeNetwork(ctx: FixContext, network: string): Candidate | undefined {
  const edits: TextEdit[] = [];
  try {
    for (const file of ctx.model.files) {
      const y = ctx.yamlIfParsed(file);
      const root = y?.root();
      const top = y?.pair(root, 'networks');
      if (!y || !root || !top) continue;
      const map = top.value;
      if (isAlias(map)) throw new CannotEdit('top-level networks is an alias');
      if (!isMap(map)) continue;
      const pair = y.pair(map as YAMLMap<YNode, YNode | null>, network);
      if (!pair) continue;
      if (y.isShared(pair)) throw new CannotEdit(`network ${network} is shared through an anchor`);
      // The last declaration goes with its key: `networks:` with nothing under it is refused.
      edits.push(
        ...((map as YAMLMap).items.length === 1
          ? y.removeFromMap(root, top)
          : y.removeFromMap(map as YAMLMap, pair as YPair)),
      );
    }
  } catch (e) {
    if (e instanceof CannotEdit) return undefined;
    throw e;
  }
  if (edits.length === 0) return undefined;
  return {
    fix: 'remove-network',
    title: `Remove unused network ${network}`,
    isPreferred: true,
    edits,
    expect: (after) => (after.model.networks.has(network) ? [`network ${network} is still declared`] : []),
  };
}
