/**
 * What the engine needs from the outside world. The CLI passes the real file system and
 * `process.env`; the language server passes a view that answers open documents from the
 * editor's unsaved text; tests pass an in-memory map.
 */
export interface EngineHost {
  /** The text of a file, or undefined when it does not exist or cannot be read. */
  readFile(path: string): string | undefined;
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
}
