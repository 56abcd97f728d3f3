import * as path from 'node:path';
import type { Document } from 'yaml';
import type { FindingSink } from '../diagnostics';
import {
  describeReadProblem,
  readChecked,
  type EngineHost,
  type LoadOptions,
  type ReadOptions,
  type ReadProblem,
} from '../host';
import { ProjectNotFoundError } from '../errors';
import { canonicalService, innerStart } from './canonical';
import { offsetAt, parseDotEnv, type DotEnvSpan } from './dotenv';
import { interpolate } from './interpolate';
import { mergeNodes } from './merge';
import { parseFile, type ScalarRewriter } from './parse';
import type { ParseCache } from './parseCache';
import { child, entry, scalarText, type LEntry, type LMap, type LNode, type Span } from './tree';

/** Compose files looked for, in order, when no `-f` is given. */
export const DEFAULT_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_FILES: Record<string, string[]> = {
  'compose.yaml': ['compose.override.yaml', 'compose.override.yml'],
  'compose.yml': ['compose.override.yml', 'compose.override.yaml'],
  'docker-compose.yaml': ['docker-compose.override.yaml', 'docker-compose.override.yml'],
  'docker-compose.yml': ['docker-compose.override.yml', 'docker-compose.override.yaml'],
};

/** A compose project after loading: one merged tree, still located. */
export interface LoadedProject {
  name: string;
  /** Where the project's name comes from when it is written in a file. */
  nameSpan?: Span;
  directory: string;
  /** Compose files in merge order, included and extended files after the file naming them. */
  files: string[];
  /** The files given (`-f`, COMPOSE_FILE) or discovered, without the files they include or extend. */
  composeFiles: string[];
  /** The text of every file read (compose files and env files), for positions and fixes. */
  texts: Map<string, string>;
  /** The YAML document of every compose file read, as parsed from `texts`. */
  documents: Map<string, Document.Parsed>;
  /** The merged project in canonical form, `include` and `extends` applied. */
  root: LMap;
  /** Active profiles (`--profile`, else COMPOSE_PROFILES). */
  profiles: Set<string>;
  /**
   * The project's environment, as interpolation reads it: the process environment over the
   * project's env files (`.env` or `--env-file`). Pass-through variables (`- VAR`) and the
   * interpolation inside a service's `env_file` read it too.
   */
  environment: (name: string) => string | undefined;
  /**
   * Where the project's env files write a variable, for the variables `environment` takes from
   * them (the process environment does not set them).
   */
  environmentSpans: ReadonlyMap<string, Span>;
  /**
   * Every value each env file read for interpolation (the project's and the includes') gives
   * a variable, so that output can keep them out (see secrets.ts).
   */
  envFileValues: ReadonlyMap<string, readonly string[]>;
  /**
   * The directory a relative path in a compose file resolves against, by file: the project
   * directory for the files given or discovered, an include's project directory for the files
   * it includes, the file's own directory for a file named by `extends.file`.
   */
  baseDirectories: ReadonlyMap<string, string>;
  /**
   * Reads a service's `env_file` through the loader, so its text joins `texts` (positions,
   * and the editor's list of files an analysis read). Only existing regular files outside
   * the kernel's pseudo file systems, and at most `ENV_FILE_MAX_CHARS` characters.
   */
  readEnvFile: (file: string) => EnvFileRead;
}

/** The outcome of reading an `env_file`. */
export type EnvFileRead = { text: string } | { problem: ReadProblem };

/**
 * Env files longer than this are not read: an env file is a few kilobytes, and a path typed by
 * mistake (a log, a dump) must not stall every keystroke's analysis.
 */
export const ENV_FILE_MAX_CHARS = 1 << 20;

type Lookup = (name: string) => string | undefined;

const EMPTY_SPAN = (file: string): Span => ({ file, start: 0, end: 0 });

class Loader {
  readonly texts = new Map<string, string>();
  readonly documents = new Map<string, Document.Parsed>();
  readonly files: string[] = [];
  readonly baseDirectories = new Map<string, string>();
  readonly envFileReads = new Map<string, EnvFileRead>();
  readonly envFileValues = new Map<string, string[]>();
  /** Why a file was not read, for the message of whoever named it. */
  readonly problems = new Map<string, ReadProblem>();
  /**
   * Each compose file's tree by the environment it was interpolated in: a file included twice
   * (or by every level of a fan-out, or named by every service's `extends.file`) is read, parsed
   * and interpolated once per analysis, not once per path to it (16 levels of "include the
   * next file twice" was 2^16 loads).
   */
  private readonly loaded = new Map<Lookup, Map<string, LMap | undefined>>();
  /** The lookups of include entries by their env files, so the same files give the same lookup (and the `loaded` key). */
  private readonly includeEnvironments = new Map<string, Lookup>();

  constructor(
    readonly host: EngineHost,
    readonly sink: FindingSink,
    readonly cache?: ParseCache,
  ) {}

  read(file: string, options?: ReadOptions): string | undefined {
    const cached = this.texts.get(file);
    if (cached !== undefined) return cached;
    const read = readChecked(this.host, file, options);
    if ('problem' in read) {
      this.problems.set(file, read.problem);
      return undefined;
    }
    this.texts.set(file, read.text);
    return read.text;
  }

  /** Why `file` was not read, in words ("does not exist", "is a directory" ...). */
  whyNotRead(file: string): string {
    return describeReadProblem(this.problems.get(file) ?? 'missing');
  }

  /**
   * Environment for interpolation: the process environment over the env files. With `spans`,
   * records where the env files write each variable they define (the last file's).
   */
  environment(
    envFiles: string[],
    required: boolean,
    spans?: Map<string, Span>,
    /**
     * `within`: the project directory when the files are implicit (the default `.env`), which
     * must not lead elsewhere through a symlink; `named`: where each file is named, by index.
     */
    source: { within?: string; named?: ReadonlyArray<Span | undefined> } = {},
  ): Lookup {
    const vars = new Map<string, string>();
    const base: Lookup = (name) => this.host.env[name] ?? vars.get(name);
    for (const [i, file] of envFiles.entries()) {
      const text = this.read(file, {
        maxBytes: ENV_FILE_MAX_CHARS,
        ...(source.within !== undefined ? { within: source.within } : {}),
      });
      if (text === undefined) {
        const problem = this.problems.get(file) ?? 'missing';
        // Docker refuses a missing or unreadable `--env-file`; what we refuse to read ourselves
        // (devices, pseudo files, huge files) Docker may read, so that stays a warning.
        if (required && (problem === 'missing' || problem === 'unreadable' || problem === 'not-a-file'))
          throw new ProjectNotFoundError(`env file ${file} ${describeReadProblem(problem)}`, file);
        if (problem !== 'missing') {
          this.sink.add({
            code: 'env-file-not-read',
            severity: 'warning',
            message: `env file ${file} ${describeReadProblem(problem)}; its variables are not used for interpolation.`,
            span: source.named?.[i] ?? EMPTY_SPAN(file),
          });
        }
        continue;
      }
      const where = spans ? new Map<string, DotEnvSpan>() : undefined;
      const parsed = parseDotEnv(text, base, where);
      for (const [k, v] of parsed.vars) {
        vars.set(k, v);
        const seen = this.envFileValues.get(k);
        if (!seen) this.envFileValues.set(k, [v]);
        else if (!seen.includes(v)) seen.push(v);
      }
      if (spans && where) {
        for (const [k, w] of where) spans.set(k, { file, start: w.valueStart, end: w.valueEnd });
      }
      for (const issue of parsed.issues) {
        const offset = offsetAt(text, issue.line, issue.character);
        this.sink.error('invalid-compose', issue.message, { file, start: offset, end: offset });
      }
    }
    return base;
  }

  /**
   * One compose file: parsed, interpolated, services in canonical form, `include` applied.
   * Undefined when it cannot be read; an unparseable file gives an empty project.
   */
  /** An `env_file`, read once per analysis. */
  readEnvFile(file: string): EnvFileRead {
    let read = this.envFileReads.get(file);
    if (read) return read;
    const cached = this.texts.get(file);
    read =
      cached !== undefined
        ? { text: cached }
        : readChecked(this.host, file, { maxBytes: ENV_FILE_MAX_CHARS });
    if ('text' in read) this.texts.set(file, read.text);
    this.envFileReads.set(file, read);
    return read;
  }

  /**
   * `base` is the directory the file's relative paths resolve against (the first one given
   * wins when the same file is loaded twice).
   */
  loadFile(file: string, env: Lookup, stack: readonly string[], base: string): LMap | undefined {
    let byFile = this.loaded.get(env);
    if (!byFile) this.loaded.set(env, (byFile = new Map()));
    // A file still loading is on `stack`; its callers report that as a cycle before coming here.
    if (byFile.has(file)) return byFile.get(file);
    const project = this.loadFileOnce(file, env, stack, base);
    byFile.set(file, project);
    return project;
  }

  private loadFileOnce(file: string, env: Lookup, stack: readonly string[], base: string): LMap | undefined {
    const text = this.read(file);
    if (text === undefined) return undefined;
    if (!this.files.includes(file)) this.files.push(file);
    if (!this.baseDirectories.has(file)) this.baseDirectories.set(file, base);
    const makeRewrite =
      (lookup: Lookup, sink: FindingSink): ScalarRewriter =>
      (value, span) => {
        if (!value.includes('$')) return value;
        const r = interpolate(value, lookup);
        for (const issue of r.issues) {
          if (issue.severity !== 'error') continue;
          const inner = innerStart(span, value, text);
          const at =
            inner === undefined
              ? span
              : { file, start: inner + issue.offset, end: inner + issue.offset + issue.length };
          sink.error('invalid-compose', issue.message, at);
        }
        return r.value;
      };
    const parsed = this.cache
      ? this.cache.parse(file, text, env, makeRewrite, this.sink)
      : parseFile(file, text, makeRewrite(env, this.sink), this.sink);
    // Absent after an incremental parse or the fast path: the quick fixes parse the file then.
    if (parsed.doc) this.documents.set(file, parsed.doc);
    const root = parsed.root;
    if (root === undefined) return emptyMap(file);
    if (root.kind !== 'map') {
      this.sink.error('invalid-compose', 'The top level of a compose file must be a mapping.', root.span);
      return emptyMap(file);
    }
    let project = canonicalServices(root, text);
    const include = entry(project, 'include');
    if (include) {
      const entries = new Map(project.entries);
      entries.delete('include');
      project = { ...project, entries };
      project = this.applyInclude(project, include, file, [...stack, file]);
    }
    return project;
  }

  private applyInclude(project: LMap, include: LEntry, file: string, stack: readonly string[]): LMap {
    if (include.value.kind !== 'seq') {
      this.sink.error('invalid-compose', '`include` must be a list.', include.value.span);
      return project;
    }
    let result = project;
    for (const item of include.value.items) {
      const spec = includeSpec(item, path.dirname(file), this.sink);
      if (!spec) continue;
      const [first] = spec.paths;
      if (!first) continue;
      const cycle = spec.paths.find((p) => stack.includes(p.file));
      if (cycle) {
        this.sink.error(
          'include-cycle',
          `${path.basename(cycle.file)} is already being loaded: include cycle.`,
          cycle.span,
        );
        continue;
      }
      const directory = spec.projectDirectory ?? path.dirname(first.file);
      const envFiles = spec.envFiles ?? [path.join(directory, '.env')];
      const envOptions = spec.envFiles ? { named: spec.envFileSpans } : { within: directory };
      // Entries naming the same env files share one environment, so their files load once.
      const envKey = `${envFiles.join('\0')}\0${spec.envFiles ? '' : directory}`;
      let env = this.includeEnvironments.get(envKey);
      if (!env)
        this.includeEnvironments.set(
          envKey,
          (env = this.environment(envFiles, false, undefined, envOptions)),
        );
      let included: LMap | undefined;
      for (const p of spec.paths) {
        const loaded = this.loadFile(p.file, env, stack, directory);
        if (!loaded) {
          this.sink.error('missing-file', `Included file ${p.file} ${this.whyNotRead(p.file)}.`, p.span);
          continue;
        }
        included = included ? (mergeNodes(included, loaded) as LMap) : loaded;
      }
      if (!included) continue;
      included = this.applyExtends(included, env, stack);
      result = addIncluded(result, included, item.span, this.sink);
    }
    return result;
  }

  /** Resolves every service's `extends`, depth first, with cycle detection. */
  applyExtends(project: LMap, env: Lookup, stack: readonly string[]): LMap {
    const services = child(project, 'services');
    if (services?.kind !== 'map') return project;
    const resolved = new Map<string, LEntry>();
    // One memo for every service: a chain of n services is resolved in n merges, not n^2/2.
    const memo: ExtendsMemo = new Map();
    for (const [name, e] of services.entries) {
      resolved.set(name, { ...e, value: this.resolveService(name, services, env, [], stack, memo) });
    }
    const entries = new Map(project.entries);
    entries.set('services', { ...entry(project, 'services')!, value: { ...services, entries: resolved } });
    return { ...project, entries };
  }

  private resolveService(
    name: string,
    services: LMap,
    env: Lookup,
    chain: readonly string[],
    stack: readonly string[],
    memo: ExtendsMemo,
  ): LNode {
    const svcEntry = services.entries.get(name)!;
    const svc = svcEntry.value;
    const ext = entry(svc, 'extends');
    if (!ext || svc.kind !== 'map') return svc;
    const id = `${svcEntry.keySpan.file}#${name}`;
    let inMap = memo.get(services);
    if (!inMap) memo.set(services, (inMap = new Map()));
    const done = inMap.get(name);
    if (done) return done;
    const result = this.resolveUncached(name, svcEntry, svc, ext, id, services, env, chain, stack, memo);
    inMap.set(name, result);
    return result;
  }

  private resolveUncached(
    name: string,
    svcEntry: LEntry,
    svc: LMap,
    ext: LEntry,
    id: string,
    services: LMap,
    env: Lookup,
    chain: readonly string[],
    stack: readonly string[],
    memo: ExtendsMemo,
  ): LNode {
    const without = new Map(svc.entries);
    without.delete('extends');
    const own: LMap = { ...svc, entries: without };
    const target = extendsTarget(ext.value);
    if (!target) {
      this.sink.error(
        'invalid-compose',
        '`extends` takes a service name or { service, file }.',
        ext.value.span,
      );
      return own;
    }
    let baseServices = services;
    let baseFile = svcEntry.keySpan.file;
    if (target.file !== undefined) {
      const file = path.resolve(path.dirname(ext.keySpan.file), target.file);
      if (stack.includes(file)) {
        this.sink.error(
          'include-cycle',
          `${path.basename(file)} is already being loaded: extends cycle.`,
          target.fileSpan!,
        );
        return own;
      }
      const loaded = this.loadFile(file, env, [...stack, ext.keySpan.file], path.dirname(file));
      if (!loaded) {
        this.sink.error(
          'missing-file',
          `File ${file} named by extends ${this.whyNotRead(file)}.`,
          target.fileSpan!,
        );
        return own;
      }
      const other = child(loaded, 'services');
      if (other?.kind !== 'map') {
        this.sink.error(
          'invalid-compose',
          `${path.basename(file)} has no services to extend.`,
          target.fileSpan!,
        );
        return own;
      }
      baseServices = other;
      baseFile = file;
    }
    const baseId = `${baseFile}#${target.service}`;
    if (chain.includes(baseId) || baseId === id) {
      this.sink.error(
        'include-cycle',
        `Service ${name} extends itself through ${target.service}: extends cycle.`,
        target.serviceSpan,
      );
      return own;
    }
    if (!baseServices.entries.has(target.service)) {
      this.sink.error(
        'invalid-compose',
        `Cannot extend service ${target.service}: it is not defined.`,
        target.serviceSpan,
      );
      return own;
    }
    const base = this.resolveService(target.service, baseServices, env, [...chain, id], stack, memo);
    return base.kind === 'map' ? mergeNodes(base, own, ['services', name]) : own;
  }
}

/**
 * Resolved services by the services map they are defined in (the project's, or an
 * `extends.file`'s as loaded): a service's name means a different service in each.
 */
type ExtendsMemo = Map<LMap, Map<string, LNode>>;

function emptyMap(file: string): LMap {
  return { kind: 'map', entries: new Map(), span: EMPTY_SPAN(file) };
}

function canonicalServices(root: LMap, text: string): LMap {
  const services = entry(root, 'services');
  if (services?.value.kind !== 'map') return root;
  const canon = new Map<string, LEntry>();
  for (const [name, e] of services.value.entries)
    canon.set(name, { ...e, value: canonicalService(e.value, text) });
  const entries = new Map(root.entries);
  entries.set('services', { ...services, value: { ...services.value, entries: canon } });
  return { ...root, entries };
}

interface IncludeSpec {
  paths: Array<{ file: string; span: Span }>;
  projectDirectory?: string;
  envFiles?: string[];
  /** Where each of `envFiles` is written. */
  envFileSpans?: Span[];
}

function includeSpec(item: LNode, dir: string, sink: FindingSink): IncludeSpec | undefined {
  const resolve = (n: LNode): { file: string; span: Span } | undefined => {
    const s = scalarText(n);
    if (s === undefined || n.kind !== 'scalar' || typeof n.value !== 'string') {
      sink.error('invalid-compose', 'An include path must be a string.', n.span);
      return undefined;
    }
    return { file: path.resolve(dir, s), span: n.span };
  };
  if (item.kind === 'scalar') {
    const p = resolve(item);
    return p ? { paths: [p] } : undefined;
  }
  if (item.kind !== 'map') {
    sink.error(
      'invalid-compose',
      'An include entry is a path or { path, project_directory, env_file }.',
      item.span,
    );
    return undefined;
  }
  const pathNode = child(item, 'path');
  if (!pathNode) {
    sink.error('invalid-compose', 'An include entry needs `path`.', item.span);
    return undefined;
  }
  const paths = (pathNode.kind === 'seq' ? pathNode.items : [pathNode])
    .map(resolve)
    .filter((p) => p !== undefined);
  const spec: IncludeSpec = { paths };
  const pd = scalarText(child(item, 'project_directory'));
  if (pd !== undefined) spec.projectDirectory = path.resolve(dir, pd);
  const ef = child(item, 'env_file');
  if (ef) {
    const base = spec.projectDirectory ?? dir;
    const named = (ef.kind === 'seq' ? ef.items : [ef]).filter((n) => scalarText(n) !== undefined);
    spec.envFiles = named.map((n) => path.resolve(base, scalarText(n)!));
    spec.envFileSpans = named.map((n) => n.span);
  }
  return spec;
}

const INCLUDED_SECTIONS = ['services', 'networks', 'volumes', 'configs', 'secrets'];

/** Adds an included project's resources; compose refuses a resource defined on both sides. */
function addIncluded(project: LMap, included: LMap, at: Span, sink: FindingSink): LMap {
  const entries = new Map(project.entries);
  for (const section of INCLUDED_SECTIONS) {
    const theirs = entry(included, section);
    if (theirs?.value.kind !== 'map') continue;
    const mine = entries.get(section);
    if (!mine || mine.value.kind !== 'map') {
      entries.set(section, theirs);
      continue;
    }
    const merged = new Map(mine.value.entries);
    for (const [key, e] of theirs.value.entries) {
      const clash = merged.get(key);
      // compose-go imports a resource equal to the one already there without complaint: the
      // same file included twice, or by two included files.
      if (clash && sameNode(clash.value, e.value)) continue;
      if (clash) {
        sink.error(
          'invalid-compose',
          `${section} ${key} is defined both here and in an included file.`,
          clash.keySpan,
          [
            { span: e.keySpan, message: `${key} in the included file` },
            { span: at, message: 'the include' },
          ],
        );
        continue;
      }
      merged.set(key, e);
    }
    entries.set(section, { ...mine, value: { ...mine.value, entries: merged } });
  }
  return { ...project, entries };
}

/** Equal as compose-go's reflect.DeepEqual sees the loaded values: same shape and values, wherever written. */
function sameNode(a: LNode, b: LNode): boolean {
  if (a === b) return true;
  if (a.kind !== b.kind || a.tag !== b.tag) return false;
  if (a.kind === 'scalar') return a.value === (b as typeof a).value;
  if (a.kind === 'seq') {
    const items = (b as typeof a).items;
    return a.items.length === items.length && a.items.every((x, i) => sameNode(x, items[i]!));
  }
  const entries = (b as typeof a).entries;
  if (a.entries.size !== entries.size) return false;
  for (const [key, e] of a.entries) {
    const other = entries.get(key);
    if (!other || !sameNode(e.value, other.value)) return false;
  }
  return true;
}

function extendsTarget(
  node: LNode,
): { service: string; serviceSpan: Span; file?: string; fileSpan?: Span } | undefined {
  if (node.kind === 'scalar') {
    const s = scalarText(node);
    return s === undefined ? undefined : { service: s, serviceSpan: node.span };
  }
  const svc = child(node, 'service');
  const service = scalarText(svc);
  if (service === undefined || !svc) return undefined;
  const fileNode = child(node, 'file');
  const file = scalarText(fileNode);
  return file !== undefined && fileNode
    ? { service, serviceSpan: svc.span, file, fileSpan: fileNode.span }
    : { service, serviceSpan: svc.span };
}

/** Compose files for the options: `-f`, else COMPOSE_FILE, else discovery upwards from the working directory. */
export function composeFiles(options: LoadOptions, host: EngineHost): string[] {
  const explicit =
    options.files.length > 0
      ? options.files
      : host.env['COMPOSE_FILE']
        ? host.env['COMPOSE_FILE'].split(host.env['COMPOSE_PATH_SEPARATOR'] ?? path.delimiter).filter(Boolean)
        : [];
  if (explicit.length > 0) {
    const files = explicit.map((f) => path.resolve(options.workingDirectory, f));
    for (const f of files) {
      if (!host.fileExists(f)) throw new ProjectNotFoundError(`${f}: no such file`, f);
    }
    return files;
  }
  for (let dir = path.resolve(options.workingDirectory); ; dir = path.dirname(dir)) {
    for (const name of DEFAULT_FILES) {
      const main = path.join(dir, name);
      if (!host.fileExists(main)) continue;
      const override = OVERRIDE_FILES[name]!.map((o) => path.join(dir, o)).find((o) => host.fileExists(o));
      return override ? [main, override] : [main];
    }
    if (path.dirname(dir) === dir) break;
  }
  throw new ProjectNotFoundError(
    `no compose file found in ${options.workingDirectory} or its parents (looked for ${DEFAULT_FILES.join(', ')})`,
    options.workingDirectory,
  );
}

/** Compose's normalisation of a project name: lower case, [a-z0-9_-] only, no leading `_`/`-`. */
export function normalizeProjectName(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** Loads a project as `docker compose` would: files, env, interpolation, include, merge, extends. */
export function loadProject(
  options: LoadOptions,
  host: EngineHost,
  sink: FindingSink,
  /** Parses kept from earlier analyses (the language server's); none: every file is parsed. */
  cache?: ParseCache,
): LoadedProject {
  const files = composeFiles(options, host);
  const directory = path.resolve(
    options.workingDirectory,
    options.projectDirectory ?? path.dirname(files[0]!),
  );
  const loader = new Loader(host, sink, cache);
  const envFiles = (options.envFiles ?? []).map((f) => path.resolve(options.workingDirectory, f));
  const envSpans = new Map<string, Span>();
  const env = loader.environment(
    envFiles.length > 0 ? envFiles : [path.join(directory, '.env')],
    envFiles.length > 0,
    envSpans,
    // `--env-file` names its files; the default `.env` must be the project's own.
    envFiles.length > 0 ? {} : { within: directory },
  );
  // The process environment wins: its variables are not where the files write them.
  for (const name of envSpans.keys()) if (host.env[name] !== undefined) envSpans.delete(name);

  let root: LMap | undefined;
  for (const file of files) {
    const loaded = loader.loadFile(file, env, [], directory);
    if (!loaded) throw new ProjectNotFoundError(`${file} ${loader.whyNotRead(file)}`, file);
    root = root ? (mergeNodes(root, loaded) as LMap) : loaded;
  }
  root = loader.applyExtends(root!, env, []);

  const nameNode = child(root, 'name');
  const written = scalarText(nameNode);
  const rawName = options.projectName ?? env('COMPOSE_PROJECT_NAME') ?? written ?? path.basename(directory);
  const profilesEnv = env('COMPOSE_PROFILES');
  const profiles = new Set(
    options.profiles && options.profiles.length > 0
      ? options.profiles
      : (profilesEnv ?? '')
          .split(',')
          .map((p) => p.trim())
          .filter(Boolean),
  );
  return {
    name: normalizeProjectName(rawName),
    ...(written !== undefined && nameNode && rawName === written ? { nameSpan: nameNode.span } : {}),
    directory,
    // In the order first read: the main file, what it includes, then the overrides.
    files: loader.files,
    composeFiles: files,
    texts: loader.texts,
    documents: loader.documents,
    root,
    profiles,
    environment: env,
    environmentSpans: envSpans,
    envFileValues: loader.envFileValues,
    baseDirectories: loader.baseDirectories,
    readEnvFile: (file) => loader.readEnvFile(file),
  };
}
