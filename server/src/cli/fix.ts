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
import { displayPath, oneLine, plural } from './formats/text';
import { decodeBytes, encodeText } from '../host/encoding';

/** What `fix` does with the result. */
export type FixMode = 'dry-run' | 'write';

/** The options of `fix` beyond the project's. */
export interface FixArgs {
  mode: FixMode;
  /** Codes to fix; empty for every fixable code. */
  only: string[];
  /** Apply the least-privilege split (`--least-privilege`). */
  leastPrivilege?: boolean;
  /** Write files outside the project directory too (`--allow-outside`). */
  allowOutside?: boolean;
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
            io.stderr.write(`${name}: not applied: ${oneLine(a.title)}: ${oneLine(problems.join('; '))}\n`),
        }
      : {}),
  });
  const rel = (file: string): string => displayPath(file, io.cwd).split(path.sep).join('/');

  // Titles and links name services: a control character in a name must not reach the terminal.
  const summary = result.applied.map(
    (a) => `  ${oneLine(a.files.map(rel).join(', '))}: ${a.code}: ${oneLine(a.title)}\n`,
  );
  // What the fixes together do to who reaches whom: the consequence a reviewer checks.
  const reach = reachDiff(analysis.report, result.final.report);
  if (reach.removed.length > 0) summary.push(`  links removed: ${oneLine(describeLinks(reach.removed))}\n`);
  if (reach.added.length > 0) summary.push(`  links added: ${oneLine(describeLinks(reach.added))}\n`);
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
  const outside = args.allowOutside ? [] : outsideOf(files, analysis.project.directory);
  const refusal =
    outside.length > 0
      ? `${outside.map(rel).join(', ')} ${outside.length === 1 ? 'is' : 'are'} outside the project directory ` +
        `${rel(analysis.project.directory) || '.'} (--allow-outside writes ${outside.length === 1 ? 'it' : 'them'})`
      : undefined;
  if (args.mode === 'dry-run') {
    for (const f of files) {
      const shown = rel(f);
      io.stdout.write(
        unifiedDiff(analysis.model.texts.get(f) ?? '', result.texts.get(f)!, `a/${shown}`, `b/${shown}`),
      );
    }
    io.stderr.write(
      `${name}: ${head} (dry run: nothing written; --write applies them):\n${summary.join('')}${tail}` +
        (refusal ? `${name}: --write would write nothing: ${refusal}\n` : ''),
    );
    return errors > 0 ? 1 : 0;
  }

  if (refusal) {
    io.stderr.write(`${name}: nothing written: ${refusal}\n`);
    return 2;
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
 * The files of `files` not under `directory`, by their path or, for a symbolic link, by
 * where it points: an include of `../x.yaml`, an absolute include, a link out of the project.
 */
function outsideOf(files: readonly string[], directory: string): string[] {
  const real = (p: string): string => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  const inside = (p: string, dir: string): boolean => {
    const r = path.relative(dir, p);
    return r !== '' && !r.startsWith('..') && !path.isAbsolute(r);
  };
  return files.filter(
    (f) => !inside(path.resolve(f), path.resolve(directory)) || !inside(real(f), real(directory)),
  );
}

/** The file-system calls `writeFilesAtomically` makes that tests replace to inject a failure. */
export interface WriteOps {
  rename(from: string, to: string): void;
}

/** Says why a file cannot be written in place: read-only, not a regular file. */
function refuseReason(target: string, shown: string): string | undefined {
  const st = fs.statSync(target);
  if (!st.isFile()) return `${shown} is not a regular file`;
  // Renaming over a file needs only the directory's permission: the file's own must be asked
  // for (its mode bits too, as root passes every access check).
  let writable = (st.mode & 0o222) !== 0;
  try {
    fs.accessSync(target, fs.constants.W_OK);
  } catch {
    writable = false;
  }
  return writable ? undefined : `${shown} is read-only`;
}

/**
 * Writes every file or none: each new text goes to a temporary file beside its target, and
 * only when all are written are they renamed over the targets (a rename within a directory
 * is atomic, so no reader ever sees half a file). A symbolic link is written through: its
 * target is replaced, the link stays. Stops before writing anything when a target changed on
 * disk since it was read, is read-only or is not a regular file. Texts are encoded as their
 * files were (BOM, UTF-16, bytes that are not UTF-8: host/encoding.ts), so every byte
 * outside an edit is kept. When a rename fails, the files already renamed get their old
 * bytes back and every temporary file is removed; a file that could not be restored is named
 * in the error.
 */
export function writeFilesAtomically(
  files: ReadonlyMap<string, string>,
  expected: ReadonlyMap<string, string>,
  ops: WriteOps = { rename: (from, to) => fs.renameSync(from, to) },
): void {
  interface Plan {
    file: string;
    target: string;
    temp: string;
    before: Buffer;
    mode: number;
  }
  const plans: Plan[] = [];
  try {
    for (const [file, text] of files) {
      const target = fs.realpathSync(file);
      const refused = refuseReason(target, file);
      if (refused) throw new Error(refused);
      const before = fs.readFileSync(target);
      const decoded = decodeBytes(before);
      if (expected.has(file) && decoded.text !== expected.get(file))
        throw new Error(`${file} changed since it was read`);
      const temp = path.join(
        path.dirname(target),
        `.${path.basename(target)}.${process.pid}.${Date.now()}.${plans.length}.tmp`,
      );
      const mode = fs.statSync(target).mode & 0o7777;
      const fd = fs.openSync(temp, 'wx', mode);
      plans.push({ file, target, temp, before, mode });
      try {
        fs.writeFileSync(fd, encodeText(text, decoded.encoding));
        fs.fsyncSync(fd);
      } finally {
        fs.closeSync(fd);
      }
    }
  } catch (e) {
    for (const p of plans) fs.rmSync(p.temp, { force: true });
    throw e;
  }
  const done: Plan[] = [];
  try {
    for (const p of plans) {
      ops.rename(p.temp, p.target);
      done.push(p);
    }
  } catch (e) {
    for (const p of plans) if (!done.includes(p)) fs.rmSync(p.temp, { force: true });
    const lost: string[] = [];
    // Undo in reverse: the old bytes go back the same way, through a temporary file.
    for (const p of done.reverse()) {
      try {
        const fd = fs.openSync(p.temp, 'wx', p.mode);
        try {
          fs.writeFileSync(fd, p.before);
        } finally {
          fs.closeSync(fd);
        }
        fs.renameSync(p.temp, p.target);
      } catch {
        fs.rmSync(p.temp, { force: true });
        lost.push(p.file);
      }
    }
    const why = e instanceof Error ? e.message : String(e);
    throw new Error(
      lost.length > 0 ? `${why}; left changed: ${lost.join(', ')}` : `${why}; every file restored`,
      { cause: e },
    );
  }
}
