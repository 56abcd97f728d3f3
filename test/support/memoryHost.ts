import * as path from 'node:path';
import { readChecked, type EngineHost, type ReadProblem } from '../../server/src/engine/host';

/**
 * An engine host over an in-memory file tree. Paths in `files` are relative to `root`
 * (default `/project`); the result's paths are absolute.
 */
export function memoryHost(
  files: Record<string, string>,
  env: Record<string, string> = {},
  root = '/project',
  /** Paths (relative to `root`) that exist but cannot be read, and why. */
  problems: Record<string, ReadProblem> = {},
): EngineHost & { root: string } {
  const abs = new Map(Object.entries(files).map(([p, text]) => [path.resolve(root, p), text]));
  const broken = new Map(Object.entries(problems).map(([p, problem]) => [path.resolve(root, p), problem]));
  const plain: EngineHost = { env, readFile: (p) => abs.get(p), fileExists: (p) => abs.has(p) };
  return {
    root,
    env,
    readFile: (p) => abs.get(p),
    tryRead: (p, options) => {
      const problem = broken.get(p);
      if (problem) return { problem };
      if (options?.within !== undefined && !p.startsWith(options.within.replace(/\/?$/, '/'))) {
        return abs.has(p) ? { problem: 'outside' } : { problem: 'missing' };
      }
      return readChecked(plain, p, options);
    },
    fileExists: (p) => abs.has(p),
    listDirectory: (dir) => {
      const prefix = dir.endsWith('/') ? dir : dir + '/';
      const names = new Set<string>();
      for (const p of abs.keys()) if (p.startsWith(prefix)) names.add(p.slice(prefix.length).split('/')[0]!);
      return names.size > 0 ? [...names] : undefined;
    },
  };
}
