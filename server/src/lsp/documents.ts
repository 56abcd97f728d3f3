/**
 * The editor's documents as the engine sees them: which ones are compose files, how their
 * URIs map to the engine's absolute paths, and an EngineHost that answers open documents
 * from the editor's unsaved text and everything else from disk.
 */
import * as path from 'node:path';
import type { TextDocumentContentChangeEvent, TextDocumentsConfiguration } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { readChecked, type EngineHost, type ReadOptions, type ReadResult } from '../engine/host';

/**
 * Language ids a compose file may be opened with: VS Code's Docker extension
 * (`dockercompose`), plain YAML, Helix (`docker-compose`) and Neovim (`yaml.docker-compose`).
 */
export const COMPOSE_LANGUAGES: ReadonlySet<string> = new Set([
  'dockercompose',
  'yaml',
  'docker-compose',
  'yaml.docker-compose',
]);

/** `compose*.yaml`, `docker-compose*.yml` ...: what a compose file is called. */
export function isComposeFileName(file: string): boolean {
  return /^(?:docker-)?compose.*\.ya?ml$/.test(path.basename(file));
}

/** Files docker compose only ever reads as the override of the main file beside them. */
export function isOverrideFileName(file: string): boolean {
  return /^(?:docker-)?compose\.override\.ya?ml$/.test(path.basename(file));
}

/**
 * The absolute path of a document: a `file:` URI's, or the path an untitled document will be
 * saved to (`code new/compose.yaml` opens `untitled:/…/new/compose.yaml`), which is part of
 * the project around it already. Undefined for other schemes, and for untitled documents
 * without a path (`untitled:Untitled-1`).
 */
export function uriToPath(uri: string): string | undefined {
  const parsed = URI.parse(uri);
  if (parsed.scheme === 'file') return parsed.fsPath;
  if (parsed.scheme === 'untitled' && path.isAbsolute(parsed.fsPath)) return parsed.fsPath;
  return undefined;
}

/**
 * How `TextDocuments` creates and updates documents, but a change whose version is not above
 * the document's is dropped: a client (or a man in the middle) sending v10, then v5 would
 * otherwise have the older text applied over the newer one and published as the latest. The
 * LSP says versions only increase, so the newer text is the one the editor shows.
 * `TextDocuments` still raises its change event for a dropped change; `dropped` tells.
 */
export class MonotonicSync implements TextDocumentsConfiguration<TextDocument> {
  private last: TextDocument | undefined;

  create(uri: string, languageId: string, version: number, content: string): TextDocument {
    return TextDocument.create(uri, languageId, version, content);
  }

  update(doc: TextDocument, changes: TextDocumentContentChangeEvent[], version: number): TextDocument {
    if (version <= doc.version) {
      this.last = doc;
      return doc;
    }
    this.last = undefined;
    return TextDocument.update(doc, changes, version);
  }

  /** True, once, for the change event of the change just dropped as stale. */
  dropped(doc: TextDocument): boolean {
    const stale = this.last === doc;
    this.last = undefined;
    return stale;
  }
}

/**
 * The open documents, indexed by path. URIs are kept as the client sent them: a client
 * matches published diagnostics to its documents by URI, and `file:///C%3A/` and
 * `file:///c:/` are the same file but not the same string.
 */
export class OpenDocuments {
  private readonly byPath = new Map<string, TextDocument>();

  /** Records an opened or changed document; returns its path, undefined when it is not a file. */
  set(doc: TextDocument): string | undefined {
    const file = uriToPath(doc.uri);
    if (file !== undefined) this.byPath.set(file, doc);
    return file;
  }

  delete(doc: TextDocument): string | undefined {
    const file = uriToPath(doc.uri);
    if (file !== undefined && this.byPath.get(file)?.uri === doc.uri) this.byPath.delete(file);
    return file;
  }

  get(file: string): TextDocument | undefined {
    return this.byPath.get(file);
  }

  paths(): IterableIterator<string> {
    return this.byPath.keys();
  }

  /** The URI to publish to for a path: the client's own when the document is open. */
  uriOf(file: string): string {
    return this.byPath.get(file)?.uri ?? URI.file(file).toString();
  }
}

/** What one analysis read: its inputs, so its result can be checked against the editor later. */
export interface ReadSet {
  /** Every file read, with the text read. */
  texts: Map<string, string>;
  /** The version of each open document read. */
  versions: Map<string, number>;
  /** Paths whose existence was asked about (discovery, overrides): creating one changes the result. */
  probed: Set<string>;
}

/**
 * An EngineHost over the open documents and a base host (disk). Open documents win, so the
 * engine sees what the user sees and never re-reads a file the editor holds; each instance
 * records what it read, for one analysis.
 */
export class OverlayHost implements EngineHost {
  readonly read: ReadSet = { texts: new Map(), versions: new Map(), probed: new Set() };

  constructor(
    private readonly base: EngineHost,
    private readonly open: OpenDocuments,
  ) {}

  get env(): EngineHost['env'] {
    return this.base.env;
  }

  readFile(file: string): string | undefined {
    const doc = this.open.get(file);
    const text = doc ? doc.getText() : this.base.readFile(file);
    if (doc) this.read.versions.set(file, doc.version);
    if (text !== undefined) this.read.texts.set(file, text);
    else this.read.probed.add(file);
    return text;
  }

  tryRead(file: string, options?: ReadOptions): ReadResult {
    const doc = this.open.get(file);
    if (doc) return { text: this.readFile(file)! };
    const read = readChecked(this.base, file, options);
    if ('text' in read) this.read.texts.set(file, read.text);
    else this.read.probed.add(file);
    return read;
  }

  listDirectory(dir: string): string[] | undefined {
    // A file created in the directory shows up in a watcher event for itself, not the
    // directory: the probe is what an editor can tell changed.
    this.read.probed.add(dir);
    return this.base.listDirectory?.(dir);
  }

  fileExists(file: string): boolean {
    this.read.probed.add(file);
    return this.open.get(file) !== undefined || this.base.fileExists(file);
  }
}
