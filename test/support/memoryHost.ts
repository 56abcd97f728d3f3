import * as path from 'node:path';
import type { EngineHost } from '../../server/src/engine/host';

/**
 * An engine host over an in-memory file tree. Paths in `files` are relative to `root`
 * (default `/project`); the result's paths are absolute.
 */
export function memoryHost(
  files: Record<string, string>,
  env: Record<string, string> = {},
  root = '/project',
): EngineHost & { root: string } {
  const abs = new Map(Object.entries(files).map(([p, text]) => [path.resolve(root, p), text]));
  return {
    root,
    env,
    readFile: (p) => abs.get(p),
    fileExists: (p) => abs.has(p),
    listDirectory: (dir) => {
      const prefix = dir.endsWith('/') ? dir : dir + '/';
      const names = new Set<string>();
      for (const p of abs.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
      return names.size > 0 ? [...names] : undefined;
    },
  };
}
