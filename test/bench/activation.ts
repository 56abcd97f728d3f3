/**
 * Extension activation as VS Code times it: loading dist/extension.js and running `activate`
 * until its promise settles. VS Code itself cannot run here, so `vscode` is a stand-in where
 * every API answers at once: what is measured is our own start-up cost (module evaluation,
 * client construction), which is what the extension controls. The language server is started
 * by the client but not waited for, as in VS Code.
 */
import * as fs from 'node:fs';
import Module from 'node:module';
import * as path from 'node:path';
import { REPO_ROOT } from '../support/paths';
import { stat, type Stat } from './types';

/** Something that is every API at once: callable, constructible, with every property. */
function anything(name: string): unknown {
  const fn = function () {
    return undefined;
  };
  return new Proxy(fn, {
    get(_t, key) {
      // Not a thenable: `await anything` must not hang.
      if (key === 'then') return undefined;
      if (key === Symbol.toPrimitive) return () => name;
      if (key === 'version') return '1.100.0';
      return anything(`${name}.${String(key)}`);
    },
    apply: () => anything(`${name}()`),
    construct: () => anything(`new ${name}`) as object,
  });
}

/** Milliseconds of `require` + `activate` of the bundle, evaluated afresh. */
async function activateOnce(bundle: string): Promise<number> {
  // esbuild's interop copies the module's own keys, which a proxy has none of: the stub is an
  // object with every name the bundle reads from `vscode`.
  const text = fs.readFileSync(bundle, 'utf8');
  // Minified or not: `x = require("vscode")`, `x=__toESM(require("vscode"))`, `x=W(require("vscode"))`.
  const bindings = [...text.matchAll(/([\w$]+)\s*=\s*(?:[\w$]+\()?require\("vscode"\)/g)].map((m) => m[1]!);
  const escape = (id: string): string => id.replace(/\$/g, '\\$');
  const names = new Set(
    bindings.flatMap((b) =>
      [...text.matchAll(new RegExp(`(?<![\\w$])${escape(b)}\\.([\\w$]+)`, 'g'))].map((m) => m[1]!),
    ),
  );
  const stub = Object.fromEntries([...names].map((n) => [n, anything(`vscode.${n}`)]));
  stub.version = '1.100.0';
  const load = (Module as unknown as { _load: (req: string, ...rest: unknown[]) => unknown })._load;
  const original = load;
  (Module as unknown as { _load: typeof load })._load = (req: string, ...rest: unknown[]) =>
    req === 'vscode' ? stub : original(req, ...rest);
  try {
    delete require.cache[bundle];
    const started = performance.now();
    // Loaded the way VS Code loads an extension: CommonJS `require` of its main file.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ext = require(bundle) as { activate(ctx: unknown): Promise<void> | void };
    // A failure half-way would be a fast, meaningless figure.
    await ext.activate(anything('context'));
    return performance.now() - started;
  } finally {
    (Module as unknown as { _load: typeof load })._load = original;
  }
}

/** Activation time over `runs` loads of the shipped bundle (the first, cold load is one of them). */
export async function benchActivation(runs = 10): Promise<Stat> {
  const bundle = path.join(REPO_ROOT, 'dist/extension.js');
  if (!fs.existsSync(bundle)) throw new Error(`${bundle} is missing: run the build first`);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) times.push(await activateOnce(bundle));
  return stat(times);
}
