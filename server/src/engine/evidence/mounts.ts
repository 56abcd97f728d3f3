/**
 * The configuration files mounted into each service, read through the host: bind mounts
 * (short `./nginx.conf:/etc/nginx/nginx.conf:ro` and long `{type: bind, source, target}`)
 * of files or small directories, and `configs:` whose top-level entry has a `file:`.
 *
 * Only regular files under the project directory are read (never outside it, never devices
 * or FIFOs: `fileExists` answers for regular files only), a few per mount, none too large,
 * and never `secrets:`. Which files were read is in `texts`, so an editor can watch them.
 */
import * as path from 'node:path';
import type { EngineHost } from '../host';
import { child, entry, scalarText, type Span } from '../load/tree';
import type { Model } from '../model/types';
import { configFormat, configHosts, isConfigName, type ConfigFormat } from './configFile';
import { volumeMounts } from './definition';
import type { EvidenceRef } from './refs';

/** At most this many files are read per mounted directory. */
export const MAX_DIRECTORY_FILES = 50;
/** Files longer than this (UTF-16 units, ~256 KiB of ASCII) are not scanned. */
export const MAX_FILE_CHARS = 256 * 1024;
/** How deep a mounted directory is walked (`conf.d/` inside `nginx/` is depth 2). */
const MAX_DEPTH = 2;

/** One configuration file mounted into a service, with the hosts it names. */
export interface MountedFile {
  /** Absolute path on the host. */
  file: string;
  /** Path inside the container. */
  target: string;
  format: ConfigFormat;
  /** Offsets in the file's text. */
  refs: EvidenceRef[];
}

/** The stage's result: the files by service and the text of every file read. */
export interface MountedConfigs {
  byService: Map<string, MountedFile[]>;
  /** Every file read, for positions (report/locator.ts) and for the editor to watch. */
  texts: Map<string, string>;
}

/**
 * Reads the configuration files mounted into the active services. `composeFiles` are the
 * project's own files: relative paths written in them resolve against the project directory,
 * paths in included or extended files against that file's directory.
 */
export function readMountedConfigs(
  model: Model,
  composeFiles: readonly string[],
  host: EngineHost,
): MountedConfigs {
  const result: MountedConfigs = { byService: new Map(), texts: new Map() };
  const root = path.resolve(model.directory);
  const baseOf = (span: Span): string => (composeFiles.includes(span.file) ? root : path.dirname(span.file));
  const topConfigs = child(model.root, 'configs');

  const parsed = new Map<string, { format: ConfigFormat; refs: EvidenceRef[] } | null>();
  const scan = (file: string, target: string, generic: boolean): MountedFile | undefined => {
    const key = `${file}\0${target}\0${generic}`;
    let r = parsed.get(key);
    if (r === undefined) {
      r = null;
      const text = readText(file, host, result.texts);
      const format = text === undefined ? undefined : configFormat([file, target], text, generic);
      if (text !== undefined && format) r = { format, refs: configHosts(format, [file, target], text) };
      parsed.set(key, r);
    }
    return r ? { file, target, ...r } : undefined;
  };

  for (const s of model.services.values()) {
    if (!s.active) continue;
    const files: MountedFile[] = [];
    const mount = (source: string, target: string, span: Span): void => {
      const abs = path.resolve(baseOf(span), source.startsWith('~') ? '/nonexistent' : source);
      const rel = path.relative(root, abs);
      // Under the project directory only, and not the whole project (an application's sources).
      if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return;
      if (host.fileExists(abs)) {
        if (!isConfigName(abs) && !isConfigName(target)) return;
        const f = scan(abs, target, true);
        if (f) files.push(f);
        return;
      }
      // A directory: the files a known format recognises, never the free-text scan (it may
      // hold an application's sources).
      let budget = MAX_DIRECTORY_FILES;
      const walk = (dir: string, inside: string, depth: number): void => {
        const names = host.listDirectory?.(dir);
        if (!names) return;
        for (const name of [...names].sort()) {
          if (budget <= 0) return;
          const p = path.join(dir, name);
          if (host.fileExists(p)) {
            budget--;
            if (!isConfigName(name)) continue;
            const f = scan(p, path.posix.join(inside, name), false);
            if (f) files.push(f);
          } else if (depth < MAX_DEPTH && !name.startsWith('.') && name !== 'node_modules') {
            walk(p, path.posix.join(inside, name), depth + 1);
          }
        }
      };
      walk(abs, target, 1);
    };

    for (const v of volumeMounts(s))
      if (v.bind && v.source !== undefined && v.target !== undefined) mount(v.source, v.target, v.span);
    const configs = child(s.node, 'configs');
    if (configs?.kind === 'seq') {
      for (const c of configs.items) {
        const name = c.kind === 'map' ? scalarText(child(c, 'source')) : scalarText(c);
        if (name === undefined) continue;
        const decl = entry(topConfigs, name);
        const file = scalarText(child(decl?.value, 'file'));
        if (!decl || file === undefined) continue;
        const target = (c.kind === 'map' ? scalarText(child(c, 'target')) : undefined) ?? `/${name}`;
        mount(file, target, decl.keySpan);
      }
    }
    if (files.length > 0) result.byService.set(s.name, files);
  }
  return result;
}

function readText(file: string, host: EngineHost, texts: Map<string, string>): string | undefined {
  const known = texts.get(file);
  if (known !== undefined) return known;
  const text = host.readFile(file);
  // Binary files and huge ones are nobody's configuration.
  if (text === undefined || text.length > MAX_FILE_CHARS || text.includes('\0')) return undefined;
  texts.set(file, text);
  return text;
}
