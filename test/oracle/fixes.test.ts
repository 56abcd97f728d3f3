/**
 * Property 5 of the fixes: docker-compose 1.29 accepts the fixed project wherever it accepted
 * the original. Exempt, and counted: a result whose correct fix needs a key 1.29 predates
 * (long-form `host_ip` on a port).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import fc from 'fast-check';
import { analyzeProject } from '../../server/src/engine';
import { applyFixes } from '../../server/src/engine/fixes';
import { createNodeHost } from '../../server/src/host/nodeHost';
import { generateProject } from '../support/genCompose';
import { composeConfigQuiet, dockerCompose, stageProject, tempDir } from '../support/oracle';
import { AWESOME, SEED } from '../support/paths';

/** Generated projects given to docker-compose on top of the corpus. */
const GENERATED = 150;

interface Case {
  name: string;
  original: string;
  fixed: string;
  /** Why a refusal of the fixed project is expected, when it is. */
  exempt?: string;
}

/** Stages `files` twice, as written and as fixed; undefined when there is nothing to fix. */
function stage(name: string, write: (dir: string) => void, root: string): Case | undefined {
  const original = path.join(root, name, 'original');
  fs.mkdirSync(original, { recursive: true });
  write(original);
  const a = analyzeProject({ files: [], workingDirectory: original }, createNodeHost({}));
  const r = applyFixes(a);
  if (r.applied.length === 0) return undefined;
  const fixed = path.join(root, name, 'fixed');
  fs.cpSync(original, fixed, { recursive: true });
  for (const [file, text] of r.texts) fs.writeFileSync(path.join(fixed, path.relative(original, file)), text);
  const hostIp = r.applied.some((s) => s.edits.some((e) => /host_ip/.test(e.newText)));
  return {
    name,
    original,
    fixed,
    ...(hostIp ? { exempt: 'long-form host_ip (compose spec, not in 1.29)' } : {}),
  };
}

describe(
  'docker-compose 1.29 accepts the fixed projects',
  // CI installs it (scripts/install-test-deps.sh): there a missing oracle fails below.
  { skip: !dockerCompose() && !process.env.CI && 'docker-compose is not installed' },
  () => {
    test('corpus, seed examples and generated projects', (t) => {
      const root = tempDir('fixes-oracle-');
      try {
        const cases: Case[] = [];
        for (const base of [AWESOME, SEED]) {
          for (const name of fs.readdirSync(base).sort()) {
            const c = stage(
              `${path.basename(base)}-${name}`,
              (dir) => stageProject(path.join(base, name), dir),
              root,
            );
            if (c) cases.push(c);
          }
        }
        const corpus = cases.length;
        const generated = fc.sample(
          fc.gen().map((g) => generateProject(g).files),
          { numRuns: GENERATED, seed: 11 },
        );
        generated.forEach((files, i) => {
          const c = stage(
            `generated-${i}`,
            (dir) => {
              for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
            },
            root,
          );
          if (c) cases.push(c);
        });

        const verdicts = composeConfigQuiet(cases.flatMap((c) => [c.original, c.fixed]));
        let compared = 0;
        const exempted: string[] = [];
        for (const c of cases) {
          const before = verdicts.get(c.original)!;
          const after = verdicts.get(c.fixed)!;
          if (before.code !== 0) continue;
          compared++;
          if (after.code !== 0 && c.exempt) {
            exempted.push(`${c.name}: ${c.exempt}`);
            continue;
          }
          assert.equal(
            after.code,
            0,
            `${c.name}: docker-compose refuses the fixed project:\n${after.stderr}`,
          );
        }
        t.diagnostic(
          `${cases.length} projects with fixes (${corpus} from the corpus and seed, ${cases.length - corpus} generated of ${GENERATED}); ` +
            `${compared} accepted before and compared; ${exempted.length} exempt (${[...new Set(exempted.map((e) => e.split(': ')[1]))].join('; ') || 'none'})`,
        );
        assert.ok(compared >= 30, `only ${compared} projects compared`);
      } finally {
        fs.rmSync(root, { recursive: true, force: true });
      }
    });
  },
);
