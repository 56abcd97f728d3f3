/**
 * What the engine needs from the outside world. The CLI passes the real file system and
 * `process.env`; the language server passes a view that answers open documents from the
 * editor's unsaved text; tests pass an in-memory map.
 */
export interface EngineHost {
  /**
   * The text of a file, or undefined when it does not exist or cannot be read. A host on a
   * real file system reads regular files only, capped in size (see `tryRead`), so a path to a
   * device or a FIFO never hangs the analysis.
   */
  readFile(path: string): string | undefined;
  /**
   * Reads a file and says why when it does not: the engine reports the reason with the file's
   * position. Optional: without it the engine uses `readFile`, and anything unread is `missing`.
   */
  tryRead?(path: string, options?: ReadOptions): ReadResult;
  /** True when `path` is an existing regular file. */
  fileExists(path: string): boolean;
  /**
   * The names of the entries of a directory, or undefined when `path` is not a readable
   * directory. Optional: without it, mounted directories are not looked into (only files).
   */
  listDirectory?(path: string): string[] | undefined;
  /** Environment variables of the process (they win over `.env`). */
  env: Readonly<Record<string, string | undefined>>;
}

/** Why a file was not read. */
export type ReadProblem =
  /** It does not exist. */
  | 'missing'
  /** It exists but the permissions (or an I/O error) forbid reading it. */
  | 'unreadable'
  /** A directory, FIFO, socket or device: only regular files are read. */
  | 'not-a-file'
  /** It is, or resolves through symlinks to, a kernel pseudo file system (`/proc`, `/sys`, `/dev`). */
  | 'special'
  /** Larger than the cap the caller gave. */
  | 'too-large'
  /** It resolves (through symlinks) outside the directory the caller required. */
  | 'outside';

/** The outcome of `EngineHost.tryRead`. */
export type ReadResult = { text: string } | { problem: ReadProblem };

/** Conditions of one read, checked before any byte is read. */
export interface ReadOptions {
  /** At most this many bytes (default `MAX_FILE_BYTES`). */
  maxBytes?: number;
  /**
   * The file's real path (symlinks resolved) must lie in this directory (itself resolved):
   * for files the compose file does not name, like the project's `.env`.
   */
  within?: string;
}

/**
 * The largest file read at all: compose files, included files and mounted configurations are
 * far smaller, and a path typed by mistake (a dump, a disk image) must not exhaust memory.
 */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;

/** Kernel pseudo file systems: what is there (`/proc/self/environ`) is not configuration. */
export const SPECIAL_ROOTS = ['/proc/', '/sys/', '/dev/'];

/** True when `file` (an absolute path) lies in a kernel pseudo file system. */
export function isSpecialPath(file: string): boolean {
  return SPECIAL_ROOTS.some((root) => file.startsWith(root) || file === root.slice(0, -1));
}

/**
 * Reads through `host.tryRead` when the host has it, else through `readFile` with the same
 * checks the engine can make on the path alone (pseudo file systems, size).
 */
export function readChecked(host: EngineHost, file: string, options: ReadOptions = {}): ReadResult {
  if (host.tryRead) return host.tryRead(file, options);
  if (isSpecialPath(file)) return { problem: 'special' };
  const text = host.readFile(file);
  if (text === undefined) return { problem: 'missing' };
  // Characters, not bytes: the host gave no size, and a character is at least one byte.
  if (text.length > (options.maxBytes ?? MAX_FILE_BYTES)) return { problem: 'too-large' };
  return { text };
}

/** Words for a read problem, to follow a file's name in a message ("… is a directory"). */
export function describeReadProblem(problem: ReadProblem): string {
  switch (problem) {
    case 'missing':
      return 'does not exist';
    case 'unreadable':
      return 'cannot be read (permission denied or I/O error)';
    case 'not-a-file':
      return 'is not a regular file (a directory, FIFO, socket or device)';
    case 'special':
      return 'is in a kernel pseudo file system (/proc, /sys, /dev) and is never read';
    case 'too-large':
      return 'is too large to read';
    case 'outside':
      return 'resolves (through a symlink) outside the project directory, and is read only when the compose file names it';
  }
}

/** Options of one analysis, the same ones `docker compose` takes. */
export interface LoadOptions {
  /** Compose files in merge order (`-f`); empty for discovery from `workingDirectory`. */
  files: string[];
  /** Where discovery starts and relative `-f` paths resolve (the CLI's cwd). */
  workingDirectory: string;
  /** `--project-directory`; defaults to the first file's directory. */
  projectDirectory?: string;
  /** `-p`. */
  projectName?: string;
  /** `--env-file` (repeatable); defaults to `<projectDirectory>/.env`. */
  envFiles?: string[];
  /** `--profile` (repeatable); COMPOSE_PROFILES is read from the environment when empty. */
  profiles?: string[];
}

/** A rule's configured level: a severity, or `off`. */
export type RuleLevel = 'error' | 'warning' | 'information' | 'hint' | 'off';

/**
 * Analysis settings from the editor or the CLI. They win over the project's own
 * `x-reachability` block, which wins over the rules' defaults.
 */
export interface AnalysisSettings {
  /** Level per rule code. */
  rules?: Record<string, RuleLevel>;
  /** Extra image repository names that make a service public (web servers, proxies) or data. */
  tiers?: { publicImages?: string[]; dataImages?: string[] };
  /**
   * Show interpolated values (image, container name, network names) in the report as they
   * resolve; by default a value that came from a variable reads `${NAME}`. Messages never
   * show such values, whatever this says.
   */
  showValues?: boolean;
}
