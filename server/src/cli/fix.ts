/**
 * `compose-reachability fix`: applies the preferred fix of each finding, one at a time with
 * a new analysis after each, then prints the change as a unified diff (`--dry-run`, the
 * default) or writes the files in place (`--write`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AnalysisSettings, EngineHost, LoadOptions } from '../engine/host';
import { analyzeProject } from '../engine/index';
import { applyFixes, FIXABLE_CODES } from '../engine/fixes/index';
import { describeLinks, reachDiff } from '../../../shared/src/reachDiff';
import { unifiedDiff } from './diff';
import { displayPath, plural } from './formats/text';

/** What `fix` does with the result. */
export type FixMode = 'dry-run' | 'write';

/** The options of `fix` beyond the project's. */
export interface FixArgs {
  mode: FixMode;
  /** Codes to fix; empty for every fixable code. */
  only: string[];
  /** Apply the least-privilege split (`--least-privilege`). */
  leastPrivilege?: boolean;
}

/** What the fix command needs from its process. */
export interface FixIO {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  cwd: string;
  /** Say why fixes were not applied (COMPOSE_REACHABILITY_DEBUG). */
  debug?: boolean;
  /** Writes files all or nothing; the default renames temporary files into place. */
  writeFiles?: (files: ReadonlyMap<string, string>, expected: ReadonlyMap<string, string>) => void;
}

/** Why `--only` cannot take a value, or undefined when it can. */
export function checkOnlyCode(code: string): string | undefined {
  return FIXABLE_CODES.includes(code)
    ? undefined
    : `'${code}' has no fix (fixable: ${FIXABLE_CODES.join(', ')})`;
}

/**
 * Runs `fix` and returns the exit code: 0 when no error-severity finding is left afterwards,
 * 1 when one is, 2 when the files could not be written. Analysis errors (no project) are
 * thrown for the caller's usual handling.
 */
export function runFix(
  name: string,
  options: LoadOptions,
  host: EngineHost,
  settings: AnalysisSettings,
  args: FixArgs,
  io: FixIO,
): number {
  const analysis = analyzeProject(options, host, settings);
  const result = applyFixes(analysis, {
    only: args.only,
    leastPrivilege: args.leastPrivilege === true,
    // Why a finding got no fix, for whoever asks.
    ...(io.debug
      ? {
          onRejected: (a, problems) =>
            io.stderr.write(`${name}: not applied: ${a.title}: ${problems.join('; ')}\n`),
        }
      : {}),
  });
  const rel = (file: string): string => displayPath(file, io.cwd).split(path.sep).join('/');

  const summary = result.applied.map((a) => `  ${a.files.map(rel).join(', ')}: ${a.code}: ${a.title}\n`);
  // What the fixes together do to who reaches whom: the consequence a reviewer checks.
  const reach = reachDiff(analysis.report, result.final.report);
  if (reach.removed.length > 0) summary.push(`  links removed: ${describeLinks(reach.removed)}\n`);
  if (reach.added.length > 0) summary.push(`  links added: ${describeLinks(reach.added)}\n`);
  const left = result.final.report.diagnostics;
  const errors = left.filter((f) => f.severity === 'error').length;
  const fixable = left.filter(
    (f) => FIXABLE_CODES.includes(f.code) && (args.only.length === 0 || args.only.includes(f.code)),
  );
  const tail =
    (result.bounded
      ? `${name}: stopped after ${plural(result.applied.length, 'fix', 'fixes')}; run it again\n`
      : '') +
    (fixable.length > 0 && !result.bounded
      ? `${name}: ${plural(fixable.length, 'finding')} left without a safe fix (run '${name} check')\n`
      : '');

  if (result.applied.length === 0) {
    io.stderr.write(`${name}: nothing to fix\n${tail}`);
    return errors > 0 ? 1 : 0;
  }

  const files = [...result.texts.keys()]
    .filter((f) => result.texts.get(f) !== analysis.model.texts.get(f))
    .sort();
  const head = `${plural(result.applied.length, 'fix', 'fixes')} in ${plural(files.length, 'file')}`;
  if (args.mode === 'dry-run') {
    for (const f of files) {
      const shown = rel(f);
      io.stdout.write(
        unifiedDiff(analysis.model.texts.get(f) ?? '', result.texts.get(f)!, `a/${shown}`, `b/${shown}`),
      );
    }
    io.stderr.write(
      `${name}: ${head} (dry run: nothing written; --write applies them):\n${summary.join('')}${tail}`,
    );
    return errors > 0 ? 1 : 0;
  }

  const changed = new Map(files.map((f) => [f, result.texts.get(f)!]));
  try {
    (io.writeFiles ?? writeFilesAtomically)(changed, analysis.model.texts);
  } catch (e) {
    io.stderr.write(`${name}: nothing written: ${e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  io.stdout.write(`Applied ${head}:\n${summary.join('')}`);
  io.stderr.write(tail);
  return errors > 0 ? 1 : 0;
}

/**
 * Writes every file or none: each new text goes to a temporary file beside its target, and
 * only when all are written are they renamed over the targets (a rename within a directory
 * is atomic, so no reader ever sees half a file). A target that changed on disk since it was
 * read stops everything.
 */
export function writeFilesAtomically(
  files: ReadonlyMap<string, string>,
  expected: ReadonlyMap<string, string>,
): void {
  const temps: Array<[string, string]> = [];
  try {
    for (const [file, text] of files) {
      const now = fs.readFileSync(file, 'utf8');
      if (expected.has(file) && now !== expected.get(file))
        throw new Error(`${file} changed since it was read`);
      const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
      const mode = fs.statSync(file).mode & 0o7777;
      const fd = fs.openSync(temp, 'wx', mode);
      temps.push([temp, file]);
      try {
        fs.writeFileSync(fd, text, 'utf8');
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    for (const [temp] of temps) fs.rmSync(temp, { force: true });
    throw e;
  }
  for (const [temp, file] of temps) fs.renameSync(temp, file);
}
