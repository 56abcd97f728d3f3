/**
 * Which compose project each file belongs to. A project is what `docker compose` would load
 * (main file, override, included and extended files); a file belongs to the project whose
 * last report lists it, and the mapping follows the reports as they come in.
 */
import * as path from 'node:path';
import type { Finding, ReachabilityReport } from '../../../shared/src/report';
import {
  ProjectNotFoundError,
  type AnalysisSettings,
  type EngineHost,
  type LoadOptions,
} from '../engine/index';
import { composeFiles } from '../engine/load/project';
import type { ReadSet } from './documents';
import { isOverrideFileName } from './documents';

/** One analysis of a project: the report and exactly what it was computed from. */
export interface Analysis {
  report: ReachabilityReport;
  read: ReadSet;
  settings: AnalysisSettings;
}

/**
 * True when two analyses read the same texts, found the same files missing and had the same
 * settings. The engine is pure, so their reports are equal too; comparing the inputs costs
 * far less than comparing (or serialising) two reports of a large project.
 */
export function sameInputs(a: Analysis, b: Analysis): boolean {
  if (a.read.texts.size !== b.read.texts.size || a.read.probed.size !== b.read.probed.size) return false;
  for (const [file, text] of a.read.texts) if (b.read.texts.get(file) !== text) return false;
  for (const file of a.read.probed) if (!b.read.probed.has(file)) return false;
  return JSON.stringify(a.settings) === JSON.stringify(b.settings);
}

/** Where a project's analysis stands. */
export type ProjectState =
  /** Not analysed yet. */
  | { kind: 'new' }
  /** The last analysis is the project's report. */
  | { kind: 'ok'; analysis: Analysis }
  /** A file does not parse: the report of the last good analysis stands meanwhile. */
  | { kind: 'paused'; analysis: Analysis; yamlErrors: ReadonlyMap<string, Finding> }
  /** The engine threw: no findings until the next analysis. */
  | { kind: 'failed'; read: ReadSet };

/** A compose project the server analyses. */
export class Project {
  state: ProjectState = { kind: 'new' };
  /** The last analysis without YAML errors: what hover and the webview show. */
  good?: Analysis;
  /** The compose files the project loads. */
  files: ReadonlySet<string>;
  /** Every path the last analyses read or looked for: a change to one makes the project dirty. */
  deps: ReadonlySet<string> = new Set();
  /** Open documents waiting for this project's first report to say whether it loads them. */
  readonly probes = new Set<string>();
  /** True when an input changed since the last analysis. */
  dirty = true;

  constructor(
    /** `discover:<main>` or `file:<path>`. */
    readonly id: string,
    readonly options: LoadOptions,
    /** The file that names the project: the settings scope, and what log messages say. */
    readonly main: string,
    files: readonly string[],
  ) {
    this.files = new Set(files);
  }

  /** The analysis whose findings a file shows, or undefined when it shows none. */
  analysisFor(file: string): Analysis | undefined {
    switch (this.state.kind) {
      case 'ok':
        return this.state.analysis;
      case 'paused':
        return this.state.yamlErrors.has(file) ? this.state.analysis : this.good;
      default:
        return undefined;
    }
  }
}

/** How an open document found its project. */
export type Resolution =
  | { kind: 'owned'; project: Project }
  /** The discovered project may include the file: wait for its report. */
  | { kind: 'probing'; project: Project }
  /** No project: docker compose would not load this file on its own. */
  | { kind: 'none' };

/** The projects, and the file → project mapping. */
export class ProjectSet {
  private readonly byId = new Map<string, Project>();

  all(): IterableIterator<Project> {
    return this.byId.values();
  }

  get size(): number {
    return this.byId.size;
  }

  has(project: Project): boolean {
    return this.byId.get(project.id) === project;
  }

  delete(project: Project): void {
    if (this.has(project)) this.byId.delete(project.id);
  }

  /**
   * The project a file belongs to. A project that loads the file from another file (as an
   * override, include or extends) wins over the file's own project, in creation order: an
   * included file's findings depend on the project that includes it.
   */
  ownerOf(file: string): Project | undefined {
    let own: Project | undefined;
    for (const p of this.byId.values()) {
      if (!p.files.has(file)) continue;
      if (p.main !== file) return p;
      own ??= p;
    }
    return own;
  }

  /** The projects that read, loaded or looked for a path. */
  dependents(file: string): Project[] {
    return [...this.byId.values()].filter((p) => p.files.has(file) || p.deps.has(file));
  }

  /**
   * Finds or creates the project of an open compose file that no known project loads:
   * docker compose's discovery from the file's directory (main + override), and when that
   * project's report does not list the file, the file on its own, as `docker compose -f`
   * would read it. An override file without its main file belongs to no project.
   */
  resolve(file: string, host: EngineHost): Resolution {
    const owner = this.ownerOf(file);
    if (owner) return { kind: 'owned', project: owner };
    let discovered: string[] | undefined;
    try {
      discovered = composeFiles({ files: [], workingDirectory: path.dirname(file) }, host);
    } catch (e) {
      if (!(e instanceof ProjectNotFoundError)) throw e;
    }
    if (discovered) {
      const main = discovered[0]!;
      const project = this.add(
        `discover:${main}`,
        { files: [], workingDirectory: path.dirname(main) },
        main,
        discovered,
      );
      if (project.files.has(file)) return { kind: 'owned', project };
      if (project.state.kind === 'new' || project.dirty) {
        project.probes.add(file);
        return { kind: 'probing', project };
      }
    }
    if (isOverrideFileName(file)) return { kind: 'none' };
    const project = this.add(`file:${file}`, { files: [file], workingDirectory: path.dirname(file) }, file, [
      file,
    ]);
    return { kind: 'owned', project };
  }

  private add(id: string, options: LoadOptions, main: string, files: readonly string[]): Project {
    let project = this.byId.get(id);
    if (!project) {
      project = new Project(id, options, main, files);
      this.byId.set(id, project);
    }
    return project;
  }
}
