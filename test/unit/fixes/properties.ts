/**
 * The properties every fix must have, checked on one project (generated or from the corpus):
 * 1. the fixed text loads without a new error, and without any load error;
 * 2. every needed link of the original is still reachable (through a network when it was);
 * 3. each fix's finding is gone, and fixing again changes nothing (a fixed point);
 * 4. bytes outside the edits are unchanged.
 * docker-compose's verdict (5) is in test/oracle/fixes.test.ts.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import type { ProjectAnalysis } from '../../../server/src/engine';
import type { RawFinding } from '../../../server/src/engine/diagnostics';
import { applyFixes, provenFixes, subjectKey, type ApplyResult } from '../../../server/src/engine/fixes';
import { applyToTexts, findOverlap, overlay, type TextEdit } from '../../../server/src/engine/fixes/edits';
import { assertUntouchedLinesKept, project } from '../../support/fixes';
import { generateProject } from '../../support/genCompose';

const LOAD_ERRORS = new Set([
  'invalid-yaml',
  'invalid-compose',
  'missing-file',
  'include-cycle',
  'network-mode-conflict',
]);

function assertEditsKeepTheRest(
  texts: ReadonlyMap<string, string>,
  edits: readonly TextEdit[],
): Map<string, string> {
  assert.equal(findOverlap(edits), undefined, 'overlapping edits');
  const changed = applyToTexts(texts, edits);
  for (const [file, text] of changed) {
    assertUntouchedLinesKept(
      texts.get(file)!,
      text,
      edits.filter((e) => e.file === file),
    );
  }
  return changed;
}

/** Applies every preferred fix (the CLI's `fix`) and checks properties 1-4 on the result. */
export function checkFixLoop(a: ProjectAnalysis): ApplyResult {
  const r = applyFixes(a);
  const final = r.final;
  // 4, step by step.
  let texts: Map<string, string> = new Map(a.model.texts);
  for (const step of r.applied) texts = overlay(texts, assertEditsKeepTheRest(texts, step.edits));
  for (const [file, text] of r.texts) assert.equal(texts.get(file), text);
  // 1.
  assert.deepEqual(
    final.findings.filter((f) => LOAD_ERRORS.has(f.code)).map((f) => f.message),
    a.findings.filter((f) => LOAD_ERRORS.has(f.code)).map((f) => f.message),
    'load errors changed',
  );
  const before = new Set(a.findings.filter((f) => f.severity === 'error').map(subjectKey));
  for (const f of final.findings) {
    if (f.severity === 'error') assert.ok(before.has(subjectKey(f)), `new error: ${f.message}`);
  }
  // 2.
  for (const [from, needs] of a.graph.needs) {
    for (const n of needs) {
      const was = a.graph.reach.vias(from, n.target);
      if (was.length === 0) continue;
      const now = final.graph.reach.vias(from, n.target);
      assert.ok(now.length > 0, `${from} lost ${n.target}`);
      if (was.some((v) => v.kind !== 'published-port')) {
        assert.ok(
          now.some((v) => v.kind !== 'published-port'),
          `${from} reaches ${n.target} only by port now`,
        );
      }
    }
  }
  // 3.
  const left = new Set(final.findings.map(subjectKey));
  for (const step of r.applied)
    assert.ok(!left.has(step.subject), `${step.title}: finding back: ${step.message}`);
  assert.equal(r.bounded, false, 'the fix loop hit its bound');
  assert.deepEqual(applyFixes(final).applied, [], 'fixing again changes something');
  return r;
}

/** Checks properties 1, 3 and 4 on every fix offered for `f`, preferred or not; returns how many. */
export function checkEveryFixOf(a: ProjectAnalysis, f: RawFinding): number {
  const fixes = provenFixes(a, f);
  for (const p of fixes) {
    assertEditsKeepTheRest(a.model.texts, p.action.edits);
    const key = subjectKey(f);
    assert.ok(!p.after.findings.some((x) => subjectKey(x) === key), `${p.action.title}: finding left`);
    assert.ok(
      !p.after.findings.some(
        (x) => LOAD_ERRORS.has(x.code) && !a.findings.some((y) => y.message === x.message),
      ),
    );
  }
  return fixes.length;
}

/**
 * Cases per test file. properties.test.ts and properties2.test.ts (another seed) make 1,000
 * a run, in parallel where node has the cores for it.
 */
export const RUNS = Number(process.env.FIX_PROPERTY_RUNS ?? 500);

/** Runs the property over `runs` generated projects; reports counts as test diagnostics. */
export function runProperties(t: { diagnostic(message: string): void }, runs: number, seed: number): void {
  let withFindings = 0;
  let applied = 0;
  let checked = 0;
  const kinds = new Map<string, number>();
  fc.assert(
    fc.property(fc.gen(), (g) => {
      const { files } = generateProject(g);
      const a = project(files);
      if (a.findings.length === 0) return;
      withFindings++;
      try {
        const r = checkFixLoop(a);
        applied += r.applied.length;
        for (const step of r.applied) kinds.set(step.fix, (kinds.get(step.fix) ?? 0) + 1);
        // Every fix of one finding, the alternatives too, in every third case: the fix loop
        // already proves the preferred ones, and this keeps a thousand cases to seconds.
        if (withFindings % 3 === 0) {
          const f = a.findings[g(fc.integer, { min: 0, max: a.findings.length - 1 })]!;
          checked += checkEveryFixOf(a, f);
        }
      } catch (e) {
        // The generator's draws say nothing to a reader: show the files.
        if (e instanceof Error) {
          e.message +=
            '\n' +
            Object.entries(files)
              .map(([name, text]) => `=== ${name}\n${text}`)
              .join('');
        }
        throw e;
      }
    }),
    { numRuns: runs, seed, endOnFailure: !process.env.FIX_PROPERTY_SHRINK },
  );
  t.diagnostic(
    `${runs} generated projects (seed ${seed}): ${withFindings} with findings, ${applied} fixes applied by the fix loop, ` +
      `${checked} offered fixes checked one by one; applied: ${[...kinds].map(([k, n]) => `${k} ${n}`).join(', ')}`,
  );
  assert.ok(withFindings > runs / 3, `only ${withFindings} of ${runs} projects had findings`);
}
