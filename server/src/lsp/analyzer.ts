/**
 * Keeps every open compose file's project analysed: debounces edits, analyses each dirty
 * project once per burst of changes, and publishes the findings of every file of the project.
 * No connection in here: what it publishes goes out through `AnalyzerOutput`, so the wiring
 * decides the transport.
 */
import type { Diagnostic, PublishDiagnosticsParams } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { ReportChangedNotification } from '../../../shared/src/protocol';
import type { Finding, ReachabilityReport } from '../../../shared/src/report';
import {
  ProjectNotFoundError,
  type AnalysisSettings,
  type EngineHost,
  type LoadOptions,
} from '../engine/index';
import { diagnosticsFor, isYamlError, pausedDiagnostic } from './diagnostics';
import { COMPOSE_LANGUAGES, isComposeFileName, OverlayHost, type OpenDocuments } from './documents';
import { errorMessage } from './logging';
import { ProjectSet, sameInputs, type Analysis, type Project } from './projects';

/** The engine's facade, or a stand-in for it (tests inject failures through this). */
export type AnalyzeFn = (
  options: LoadOptions,
  host: EngineHost,
  settings: AnalysisSettings,
) => ReachabilityReport;

/** Where the analyzer's results go. */
export interface AnalyzerOutput {
  publishDiagnostics(params: PublishDiagnosticsParams): void;
  reportChanged(params: ReportChangedNotification.Params): void;
  /** An analysis failed; the message says which project and why, `cause` is what was thrown. */
  error(message: string, cause?: unknown): void;
}

/** What the analyzer needs. */
export interface AnalyzerOptions {
  analyze: AnalyzeFn;
  /** Where closed files are read from (the disk) and the environment. */
  host: EngineHost;
  /** The settings of a project, by the URI of its main file. */
  settings(scopeUri: string): Promise<AnalysisSettings>;
  /**
   * The longest quiet time after an edit before analysing. A change that comes BURST_GAP_MS
   * or more after the one before (a keystroke) is analysed at once. Changes closer together
   * (key repeat, a paste or a multi-cursor edit sent as several changes) are a burst: the
   * wait is a quarter of the last analysis's cost, up to this, so a project analysed in 20 ms
   * waits 5 ms and one that takes 400 ms is not analysed once per change of the burst.
   */
  debounceMs: number;
  output: AnalyzerOutput;
  /**
   * Called after projects went or stopped reading files, with every path an open document or
   * a remaining project uses: what was kept for the others (parses) can go.
   */
  release?(inUse: ReadonlySet<string>): void;
  /** The clock analysis costs and pauses are read from, in ms; `performance.now` unless a test moves it. */
  now?: () => number;
}

/** Changes closer together than this are one burst: no one types that fast. */
const BURST_GAP_MS = 50;

/** Rounds of resolve → analyse in one run: probes and standalone projects need at most two. */
const MAX_ROUNDS = 4;

/** The analyzer of one server. */
export class Analyzer {
  readonly projects = new ProjectSet();
  /** Open compose files whose project is not known yet. */
  private readonly unresolved = new Set<string>();
  /** Open override files without a main file: no project until the files around them change. */
  private readonly orphans = new Set<string>();
  /** What each file was last published with, to skip identical publishes. */
  private readonly published = new Map<string, string>();
  private readonly settingsCache = new Map<string, Promise<AnalysisSettings>>();
  private timer: NodeJS.Timeout | undefined;
  /** Bumped by every change: a run that sees it move stops, the change's own run redoes the rest. */
  private generation = 0;
  private running: Promise<void> | undefined;
  private rerun = false;
  /** Milliseconds the last analysis took (the debounce follows it). */
  private lastCostMs = 0;
  /** When the last change was scheduled (on `now`), to tell a burst from a pause. */
  private lastScheduledAt = -Infinity;
  /** A project went or read fewer files since the last `release`. */
  private released = false;

  private readonly now: () => number;

  constructor(
    private readonly open: OpenDocuments,
    private readonly options: AnalyzerOptions,
  ) {
    this.now = options.now ?? (() => performance.now());
  }

  /** A document was opened or edited. */
  changed(doc: TextDocument): void {
    const file = this.open.set(doc);
    if (file === undefined) return;
    this.touch(file);
    if (this.isCandidate(file) && !this.projects.ownerOf(file)) {
      this.orphans.delete(file);
      this.unresolved.add(file);
    }
    this.schedule();
  }

  /** A document was closed: the disk's text applies again, and its project may go. */
  closed(doc: TextDocument): void {
    const file = this.open.delete(doc);
    if (file === undefined) return;
    this.touch(file);
    this.unresolved.delete(file);
    this.orphans.delete(file);
    this.schedule();
  }

  /** Files changed on disk (saved elsewhere, created, deleted). */
  filesChanged(files: readonly string[]): void {
    // The watcher also reports configuration files no project mounts (any `*.conf`, `*.json`
    // of the workspace): those must not cancel a running analysis.
    const relevant = files.filter(
      (f) => /\.ya?ml$|(^|[\\/])\.env$/i.test(f) || this.projects.dependents(f).length > 0,
    );
    if (relevant.length === 0) return;
    for (const file of relevant) if (!this.open.get(file)) this.touch(file);
    // A new main file may give an orphan override its project.
    for (const file of this.orphans) this.unresolved.add(file);
    this.orphans.clear();
    this.schedule();
  }

  /** The settings changed: every project is analysed again with the new ones. */
  settingsChanged(): void {
    // A run waiting for the old settings must not finish with them.
    this.generation++;
    this.settingsCache.clear();
    for (const p of this.projects.all()) p.dirty = true;
    this.schedule();
  }

  /** Analyses whatever is pending now, without waiting for the debounce. */
  async settle(): Promise<void> {
    for (let i = 0; i < MAX_ROUNDS && this.hasWork(); i++) {
      clearTimeout(this.timer);
      this.timer = undefined;
      await this.run();
    }
  }

  /** The project a file belongs to, if any. */
  projectOf(file: string): Project | undefined {
    return this.projects.ownerOf(file);
  }

  /** The last good report of a file's project: what hover and the webview show, YAML errors or not. */
  reportOf(file: string): ReachabilityReport | undefined {
    return this.projects.ownerOf(file)?.good?.report;
  }

  /**
   * The analysis of a file's project when it was computed from the editor's current text:
   * edits computed against text the editor no longer has would land in the wrong place.
   */
  currentAnalysis(file: string): Analysis | undefined {
    const project = this.projects.ownerOf(file);
    const state = project?.state;
    // Dirty: a file it read changed, possibly on disk where versions do not tell.
    if (!project || project.dirty || state?.kind !== 'ok') return undefined;
    for (const [f, version] of state.analysis.read.versions) {
      if (this.open.get(f)?.version !== version) return undefined;
    }
    return state.analysis;
  }

  /** True when the file's project or ownership is not analysed up to the editor's text yet. */
  isPending(file: string): boolean {
    const p = this.projects.ownerOf(file);
    return this.unresolved.has(file) || !p || p.dirty || p.state.kind === 'new';
  }

  /** Stops the timer (shutdown). */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.generation++;
  }

  /** An open compose file: one that gets a project of its own when none loads it. */
  private isCandidate(file: string): boolean {
    const doc = this.open.get(file);
    return doc !== undefined && COMPOSE_LANGUAGES.has(doc.languageId) && isComposeFileName(file);
  }

  /** True when an open document belongs to the project: only then are its files published. */
  private isShown(p: Project): boolean {
    for (const file of this.open.paths()) if (this.projects.ownerOf(file) === p) return true;
    return false;
  }

  private touch(file: string): void {
    this.generation++;
    for (const p of this.projects.dependents(file)) p.dirty = true;
  }

  private hasWork(): boolean {
    if (this.unresolved.size > 0) return true;
    for (const p of this.projects.all()) if (p.dirty) return true;
    return false;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    const now = this.now();
    const inBurst = now - this.lastScheduledAt < BURST_GAP_MS;
    this.lastScheduledAt = now;
    this.timer = setTimeout(
      () => {
        this.timer = undefined;
        void this.run();
      },
      inBurst ? Math.min(this.options.debounceMs, Math.round(this.lastCostMs / 4)) : 0,
    );
  }

  private run(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.rerun = false;
          await this.runOnce();
          this.release();
        } while (this.rerun);
      } catch (e) {
        // A bug here must not stop the next edit from being analysed.
        this.options.output.error(`compose-reachability: ${errorMessage(e)}`, e);
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }

  private async runOnce(): Promise<void> {
    const generation = this.generation;
    for (let round = 0; round < MAX_ROUNDS; round++) {
      this.resolve();
      this.collect();
      const dirty = [...this.projects.all()].filter((p) => p.dirty);
      if (dirty.length === 0) return;
      for (const p of dirty) {
        const settings = await this.settingsOf(p);
        // A newer edit arrived meanwhile: it has scheduled its own run, which redoes this work.
        if (generation !== this.generation) return;
        if (this.projects.has(p) && p.dirty) this.analyze(p, settings);
      }
    }
  }

  /** Tells the owner of the caches what is still used, when something stopped being. */
  private release(): void {
    if (!this.released || !this.options.release) return;
    this.released = false;
    const inUse = new Set<string>(this.open.paths());
    for (const p of this.projects.all()) {
      for (const file of p.files) inUse.add(file);
      for (const file of p.deps) inUse.add(file);
    }
    this.options.release(inUse);
  }

  /** Gives every open compose file without a project one. */
  private resolve(): void {
    const host = new OverlayHost(this.options.host, this.open);
    for (const file of [...this.unresolved]) {
      if (!this.open.get(file)) {
        this.unresolved.delete(file);
        continue;
      }
      const r = this.projects.resolve(file, host);
      if (r.kind === 'probing') continue;
      this.unresolved.delete(file);
      if (r.kind === 'none') {
        this.orphans.add(file);
        this.refresh(file);
      }
    }
  }

  /** Forgets projects no open document belongs to, and clears their files. */
  private collect(): void {
    const owners = new Set<Project>();
    for (const file of this.open.paths()) {
      const p = this.projects.ownerOf(file);
      if (p) owners.add(p);
    }
    for (const p of [...this.projects.all()]) {
      if (owners.has(p) || p.probes.size > 0) continue;
      this.projects.delete(p);
      this.released = true;
      this.settingsCache.delete(p.id);
      this.republish(p.files);
    }
  }

  private analyze(p: Project, settings: AnalysisSettings): void {
    const host = new OverlayHost(this.options.host, this.open);
    let report: ReachabilityReport;
    const started = this.now();
    try {
      report = this.options.analyze(p.options, host, settings);
      this.lastCostMs = this.now() - started;
    } catch (e) {
      if (e instanceof ProjectNotFoundError) {
        // Its files are gone; the documents that were in it look for a project again.
        this.projects.delete(p);
        this.released = true;
        this.settingsCache.delete(p.id);
        this.requeue(p);
        this.republish(p.files);
        return;
      }
      this.options.output.error(`Analysis of ${p.main} failed: ${errorMessage(e)}`, e);
      p.state = { kind: 'failed', read: host.read };
      p.deps = new Set([...p.deps, ...dependencies(host.read)]);
      this.finish(p, p.files);
      return;
    }

    // Analysis is synchronous today, so nothing can have changed; this keeps it true if it moves
    // off the main thread: a result computed from a document version the editor has left is dropped.
    for (const [file, version] of host.read.versions) {
      if (this.open.get(file)?.version !== version) return;
    }

    const analysis: Analysis = { report, read: host.read, settings };
    const yamlErrors = new Map<string, Finding>();
    for (const f of report.diagnostics) {
      if (isYamlError(f) && !yamlErrors.has(f.location.file)) yamlErrors.set(f.location.file, f);
    }
    const before = p.files;
    if (yamlErrors.size === 0) {
      const changed = !p.good || !sameInputs(p.good, analysis);
      p.state = { kind: 'ok', analysis };
      p.good = analysis;
      p.files = new Set(report.files);
      const deps = dependencies(host.read);
      // An include removed, a file renamed: what the project read before may be used by none.
      for (const file of p.deps) if (!deps.has(file)) this.released = true;
      p.deps = deps;
      this.finish(p, before);
      if (changed && this.isShown(p)) {
        this.options.output.reportChanged({ uris: report.files.map((f) => this.open.uriOf(f)) });
      }
    } else {
      p.state = { kind: 'paused', analysis, yamlErrors };
      // Until the file parses again, the project still loads what it loaded when it last did.
      p.files = new Set([...report.files, ...(p.good?.report.files ?? [])]);
      p.deps = new Set([...dependencies(host.read), ...(p.good ? dependencies(p.good.read) : [])]);
      this.finish(p, before);
    }
  }

  /** After an analysis: publish the project's files and the ones it stopped loading. */
  private finish(p: Project, before: ReadonlySet<string>): void {
    p.dirty = false;
    for (const file of p.probes) this.unresolved.add(file);
    p.probes.clear();
    this.republish(new Set([...before, ...p.files]));
    for (const file of before) {
      if (!p.files.has(file) && this.isCandidate(file) && !this.projects.ownerOf(file))
        this.unresolved.add(file);
    }
  }

  private requeue(p: Project): void {
    for (const file of this.open.paths()) {
      if (p.files.has(file) && this.isCandidate(file) && !this.projects.ownerOf(file))
        this.unresolved.add(file);
    }
  }

  private republish(files: Iterable<string>): void {
    for (const file of files) this.refresh(file);
  }

  /** Publishes a file's diagnostics from its owner's state, when they are current. */
  private refresh(file: string): void {
    const doc = this.open.get(file);
    const owner = this.projects.ownerOf(file);
    let diagnostics: Diagnostic[] = [];
    // A project analysed only to see whether it loads some file shows nothing of its own.
    if (owner && this.isShown(owner)) {
      if (owner.state.kind === 'new') return;
      const analysis = owner.analysisFor(file);
      if (analysis) {
        const read = analysis.read.versions.get(file);
        // Findings from another version of the document than the editor's would point at the wrong text.
        if (doc && read !== undefined && read !== doc.version) return;
        const uriOf = (f: string): string => this.open.uriOf(f);
        const yamlError = owner.state.kind === 'paused' ? owner.state.yamlErrors.get(file) : undefined;
        diagnostics = yamlError
          ? [pausedDiagnostic(yamlError)]
          : diagnosticsFor(analysis.report.diagnostics, file, uriOf);
      }
    }
    const previous = this.published.get(file);
    if (previous === undefined && diagnostics.length === 0 && !doc) return;
    const params: PublishDiagnosticsParams = { uri: this.open.uriOf(file), diagnostics };
    if (doc) params.version = doc.version;
    const key = JSON.stringify(params);
    if (key === previous) return;
    if (diagnostics.length === 0 && !doc) this.published.delete(file);
    else this.published.set(file, key);
    this.options.output.publishDiagnostics(params);
  }

  private settingsOf(p: Project): Promise<AnalysisSettings> {
    let settings = this.settingsCache.get(p.id);
    if (!settings) {
      settings = this.options.settings(this.open.uriOf(p.main)).catch(() => ({}));
      this.settingsCache.set(p.id, settings);
    }
    return settings;
  }
}

function dependencies(read: Analysis['read']): Set<string> {
  return new Set([...read.texts.keys(), ...read.probed]);
}
