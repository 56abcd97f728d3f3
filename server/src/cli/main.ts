/**
 * The `compose-reachability` command. Everything the process provides (arguments, streams,
 * directory, environment) comes in as parameters and the exit code goes out as the result,
 * so tests run it in-process.
 */
import * as path from 'node:path';
import { buildMatrix } from '../../../shared/src/matrix';
import type { ReachabilityReport } from '../../../shared/src/report';
import { RULES } from '../../../shared/src/rules';
import {
  analyze,
  ProjectNotFoundError,
  type AnalysisSettings,
  type EngineHost,
  type LoadOptions,
} from '../engine/index';
import { isRuleLevel, RULE_LEVELS } from '../engine/rules/config';
import { createNodeHost } from '../host/nodeHost';
import { checkOnlyCode, runFix, type FixArgs, type FixMode } from './fix';
import { formatJson } from './formats/json';
import { formatMarkdown } from './formats/markdown';
import { formatMatrixJson, formatMatrixMarkdown, formatMatrixText } from '../../../shared/src/matrixFormat';
import { formatSarif } from './formats/sarif';
import { displayPath, formatText, plural } from './formats/text';

/** The tool's version; a test keeps it equal to package.json's. */
export const VERSION = '0.1.0';

const NAME = 'compose-reachability';

/** Exit codes: the contract with CI scripts. */
export const EXIT = {
  /** No error-severity finding. */
  ok: 0,
  /** At least one error-severity finding. */
  findings: 1,
  /** Bad usage, no project, or the tool itself failed. */
  usage: 2,
} as const;

/** Something text can be written to (`process.stdout`, or a buffer in tests). */
export interface Writer {
  write(chunk: string): unknown;
}

/** What the command gets from its process. */
export interface CliIO {
  stdout: Writer;
  stderr: Writer;
  /** Where relative paths resolve and compose files are discovered. */
  cwd: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Whether stdout is a terminal (colours are used only then). */
  isTTY: boolean;
}

/** The engine as the command uses it; tests replace it with canned reports. */
export interface CliEngine {
  analyze(
    options: LoadOptions,
    host: EngineHost,
    settings: AnalysisSettings,
  ): ReachabilityReport | Promise<ReachabilityReport>;
  createHost(env: Readonly<Record<string, string | undefined>>): EngineHost;
  /** Starts the language server on stdin/stdout; it ends the process when the client exits. */
  serve(): void | Promise<void>;
}

/** The subcommands that analyse a project. */
export type Command = 'check' | 'matrix';

/** Formats each command accepts; the first is the default. */
export const FORMATS = {
  check: ['text', 'json', 'sarif', 'markdown'],
  matrix: ['text', 'markdown', 'json'],
} as const satisfies Record<Command, readonly string[]>;

/** The options shared by `check` and `matrix`, as docker compose spells them. */
export interface ProjectArgs {
  files: string[];
  projectDirectory?: string;
  projectName?: string;
  envFiles: string[];
  profiles: string[];
}

/** The result of parsing the command line. `settings` holds `--rule`, `--public-image` and `--data-image`. */
export type ParsedArgs =
  | { kind: 'help' }
  | { kind: 'version' }
  | { kind: 'lsp' }
  | {
      kind: 'run';
      command: 'check';
      format: (typeof FORMATS)['check'][number];
      project: ProjectArgs;
      settings: AnalysisSettings;
    }
  | {
      kind: 'run';
      command: 'matrix';
      format: (typeof FORMATS)['matrix'][number];
      project: ProjectArgs;
      settings: AnalysisSettings;
    }
  | { kind: 'run'; command: 'fix'; project: ProjectArgs; settings: AnalysisSettings; fix: FixArgs }
  | { kind: 'error'; message: string };

type ValueOption =
  | 'file'
  | 'projectDirectory'
  | 'projectName'
  | 'envFile'
  | 'profile'
  | 'format'
  | 'rule'
  | 'publicImage'
  | 'dataImage'
  | 'only';

const VALUE_OPTIONS: Record<string, ValueOption> = {
  '-f': 'file',
  '--file': 'file',
  '--project-directory': 'projectDirectory',
  '-p': 'projectName',
  '--project-name': 'projectName',
  '--env-file': 'envFile',
  '--profile': 'profile',
  '--format': 'format',
  '--rule': 'rule',
  '--public-image': 'publicImage',
  '--data-image': 'dataImage',
  '--only': 'only',
};

const USAGE = `Usage: ${NAME} check|matrix [-f FILE]... [--project-directory DIR] [-p NAME]
         [--env-file FILE]... [--profile PROFILE]... [--format FORMAT]
         [--rule CODE=LEVEL]... [--public-image NAME]... [--data-image NAME]...
       ${NAME} fix [same options] [--only CODE]... [--least-privilege] [--dry-run|--write]
       ${NAME} lsp [--stdio]
Run '${NAME} --help' for more.
`;

const HELP = `${NAME} ${VERSION}: who can reach whom in a Docker Compose project.

Usage:
  ${NAME} check  [options] [--format text|json|sarif|markdown]
      Report network isolation problems; exit 1 when there is an error.
  ${NAME} matrix [options] [--format text|markdown|json]
      Show which service can open a connection to which.
  ${NAME} fix    [options] [--only CODE]... [--least-privilege] [--dry-run|--write]
      Apply the preferred quick fix of each finding, one at a time, each proven on a
      new analysis; print a unified diff (--dry-run, the default) or write the files
      in place (--write). --only limits it to findings of CODE (repeatable).
      The split keeps every app's link to every data store; --least-privilege
      gives each data store a network of its own with only its known users
      (links the file does not show are cut: check the diff's summary).
      Only files under the project directory are written unless --allow-outside
      is given; read-only files are never replaced, symbolic links are written
      through. Exit 1 when an error is left afterwards, 2 when nothing was written.
  ${NAME} lsp [--stdio]
      Run the language server on stdin/stdout, for editors (Neovim, Helix, Emacs...).
  ${NAME} help | --help | --version

Options (as docker compose reads them):
  -f, --file FILE              Compose file; repeat to merge several. Default:
                               $COMPOSE_FILE, else compose.yaml (docker-compose.yml...)
                               found here or in a parent directory.
      --project-directory DIR  Project directory. Default: the first file's directory.
  -p, --project-name NAME      Project name. Default: $COMPOSE_PROJECT_NAME, top-level
                               name:, else the project directory's name.
      --env-file FILE          Environment file; repeatable. Default: <project dir>/.env.
      --profile PROFILE        Enable a profile; repeatable. Default: $COMPOSE_PROFILES.
      --format FORMAT          Output format. Default: text.
      --show-values            Show values that came from variables (image,
                               container_name, network names) in the report as they
                               resolve; by default they read \${NAME}. Messages never
                               show values from env files or the environment.

Rules (they win over the file's x-reachability block):
      --rule CODE=LEVEL        Set a rule's level: off, error, warning, information
                               or hint; repeatable (--rule flat-network=off).
      --public-image NAME      Treat services running image NAME (a repository name
                               such as myproxy) as public; repeatable.
      --data-image NAME        Treat services running image NAME as data stores;
                               repeatable.

Exit status: 0 no errors, 1 errors found, 2 bad usage or no compose project.
Environment: NO_COLOR disables colours; COMPOSE_REACHABILITY_DEBUG shows stack traces.
`;

/** Parses the command line (without `node` and the script). Options may come before or after the command. */
export function parseArgs(argv: readonly string[]): ParsedArgs {
  const project: ProjectArgs = { files: [], envFiles: [], profiles: [] };
  const settings: AnalysisSettings = {};
  let command: string | undefined;
  let format: string | undefined;
  let help = false;
  let stdio = false;
  let projectOption: string | undefined;
  let fixMode: FixMode | undefined;
  let leastPrivilege = false;
  let allowOutside = false;
  const only: string[] = [];

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') {
      help = true;
      continue;
    }
    if (arg === '--version') return { kind: 'version' };
    // The transport flag every language client passes; stdio is the only transport here.
    if (arg === '--stdio') {
      stdio = true;
      continue;
    }
    if (arg === '--least-privilege') {
      leastPrivilege = true;
      continue;
    }
    if (arg === '--show-values') {
      settings.showValues = true;
      continue;
    }
    if (arg === '--allow-outside') {
      allowOutside = true;
      continue;
    }
    if (arg === '--dry-run' || arg === '--write') {
      const mode = arg === '--write' ? 'write' : 'dry-run';
      if (fixMode !== undefined && fixMode !== mode) {
        return { kind: 'error', message: `options '--dry-run' and '--write' exclude each other` };
      }
      fixMode = mode;
      continue;
    }

    if (arg.startsWith('-') && arg !== '-') {
      const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
      const name = eq >= 0 ? arg.slice(0, eq) : arg;
      const option = VALUE_OPTIONS[name];
      if (!option) return { kind: 'error', message: `unknown option '${name}'` };
      let value: string | undefined;
      if (eq >= 0) {
        value = arg.slice(eq + 1);
      } else {
        // `-f --format json` is a forgotten value, not a file named `--format`.
        const next = argv[i + 1];
        if (next !== undefined && !(next.startsWith('-') && next !== '-')) {
          value = next;
          i++;
        }
      }
      if (!value) return { kind: 'error', message: `option '${name}' needs a value` };
      projectOption ??= name;
      switch (option) {
        case 'file':
          project.files.push(value);
          break;
        case 'envFile':
          project.envFiles.push(value);
          break;
        case 'profile':
          project.profiles.push(value);
          break;
        case 'projectDirectory':
          project.projectDirectory = value;
          break;
        case 'projectName':
          project.projectName = value;
          break;
        case 'format':
          format = value;
          break;
        case 'rule': {
          const problem = addRule(settings, value);
          if (problem) return { kind: 'error', message: problem };
          break;
        }
        case 'publicImage':
          ((settings.tiers ??= {}).publicImages ??= []).push(value);
          break;
        case 'dataImage':
          ((settings.tiers ??= {}).dataImages ??= []).push(value);
          break;
        case 'only': {
          const problem = checkOnlyCode(value);
          if (problem) return { kind: 'error', message: `--only: ${problem}` };
          only.push(value);
          break;
        }
      }
      continue;
    }

    if (command === undefined) command = arg;
    // `help check` is help too, whatever follows.
    else if (command !== 'help') return { kind: 'error', message: `unexpected argument '${arg}'` };
  }

  if (help || command === 'help') return { kind: 'help' };
  if (command === undefined) return { kind: 'error', message: 'missing command: check or matrix' };
  if (command === 'lsp') {
    // The server finds each document's project itself; a project option would be ignored.
    if (projectOption !== undefined) {
      return { kind: 'error', message: `option '${projectOption}' does not apply to lsp` };
    }
    return { kind: 'lsp' };
  }
  if (stdio) return { kind: 'error', message: `option '--stdio' applies to lsp only` };
  if (command === 'fix') {
    if (format !== undefined) return { kind: 'error', message: `option '--format' does not apply to fix` };
    return {
      kind: 'run',
      command,
      project,
      settings,
      fix: {
        mode: fixMode ?? 'dry-run',
        only,
        ...(leastPrivilege ? { leastPrivilege } : {}),
        ...(allowOutside ? { allowOutside } : {}),
      },
    };
  }
  if (fixMode !== undefined || only.length > 0 || leastPrivilege || allowOutside) {
    const option =
      only.length > 0
        ? '--only'
        : leastPrivilege
          ? '--least-privilege'
          : allowOutside
            ? '--allow-outside'
            : `--${fixMode}`;
    return { kind: 'error', message: `option '${option}' applies to fix only` };
  }
  if (command !== 'check' && command !== 'matrix') {
    return {
      kind: 'error',
      message: `unknown command '${command}' (expected check, matrix, fix, lsp or help)`,
    };
  }

  const allowed: readonly string[] = FORMATS[command];
  format ??= allowed[0];
  if (!allowed.includes(format!)) {
    return {
      kind: 'error',
      message: `unknown format '${format}' for ${command} (expected ${orList(allowed)})`,
    };
  }
  return { kind: 'run', command, format, project, settings } as ParsedArgs;
}

/** Reads one `--rule CODE=LEVEL` into `settings`; says what is wrong with it, if anything. */
function addRule(settings: AnalysisSettings, value: string): string | undefined {
  const eq = value.indexOf('=');
  if (eq < 0) return `option '--rule' needs CODE=LEVEL, got '${value}'`;
  const code = value.slice(0, eq);
  const level = value.slice(eq + 1);
  if (!Object.prototype.hasOwnProperty.call(RULES, code)) return `unknown rule '${code}' in --rule`;
  if (!isRuleLevel(level)) {
    return `unknown level '${level}' for rule ${code} (expected ${orList(RULE_LEVELS)})`;
  }
  (settings.rules ??= {})[code] = level;
  return undefined;
}

/** Runs the command and returns its exit code; never throws. */
export async function main(argv: string[], io: CliIO, engine?: Partial<CliEngine>): Promise<number> {
  const parsed = parseArgs(argv);
  switch (parsed.kind) {
    case 'help':
      io.stdout.write(HELP);
      return EXIT.ok;
    case 'version':
      io.stdout.write(VERSION + '\n');
      return EXIT.ok;
    case 'error':
      io.stderr.write(`${NAME}: ${parsed.message}\n${USAGE}`);
      return EXIT.usage;
    case 'lsp':
      try {
        await (engine?.serve ?? serveStdio)();
        return EXIT.ok;
      } catch (e) {
        io.stderr.write(
          `${NAME}: cannot start the language server: ${e instanceof Error ? e.message : String(e)}\n`,
        );
        return EXIT.usage;
      }
  }

  const options = loadOptions(parsed.project, io.cwd);
  const debug = !!io.env.COMPOSE_REACHABILITY_DEBUG;
  try {
    const host = (engine?.createHost ?? createNodeHost)(io.env);
    if (parsed.command === 'fix') {
      return runFix(NAME, options, host, parsed.settings, parsed.fix, { ...io, debug });
    }
    const report = await (engine?.analyze ?? analyze)(options, host, parsed.settings);
    const errors = report.diagnostics.filter((f) => f.severity === 'error').length;

    if (parsed.command === 'check') {
      io.stdout.write(formatCheck(report, parsed.format, io));
    } else {
      const matrix = buildMatrix(report);
      io.stdout.write(
        parsed.format === 'json'
          ? formatMatrixJson(matrix)
          : parsed.format === 'markdown'
            ? formatMatrixMarkdown(matrix)
            : formatMatrixText(matrix),
      );
      // The matrix of a project Docker would refuse is a guess; say so where a pipe won't hide it.
      if (errors > 0) {
        io.stderr.write(
          `${NAME}: ${plural(errors, 'error')} in the project; the matrix may be incomplete ` +
            `(run '${NAME} check' to see ${errors === 1 ? 'it' : 'them'})\n`,
        );
      }
    }
    return errors > 0 ? EXIT.findings : EXIT.ok;
  } catch (e) {
    if (e instanceof ProjectNotFoundError) {
      io.stderr.write(`${NAME}: ${oneLine(e.message)}\n`);
      return EXIT.usage;
    }
    const message = e instanceof Error ? e.message : String(e);
    const hint = debug ? '' : ' (set COMPOSE_REACHABILITY_DEBUG=1 for details)';
    io.stderr.write(
      `${NAME}: internal error while analysing ${describeTarget(options, io.cwd)}: ${oneLine(message)}${hint}\n`,
    );
    if (debug && e instanceof Error && e.stack) io.stderr.write(e.stack + '\n');
    return EXIT.usage;
  }
}

/** Loaded on demand: `check` and `matrix` do not pay for the language server's modules. */
async function serveStdio(): Promise<void> {
  const { startStdioServer } = await import('../lsp/stdio.js');
  startStdioServer();
}

function formatCheck(
  report: ReachabilityReport,
  format: (typeof FORMATS)['check'][number],
  io: CliIO,
): string {
  switch (format) {
    case 'json':
      return formatJson(report);
    case 'sarif':
      return formatSarif(report, { version: VERSION });
    case 'markdown':
      return formatMarkdown(report, { cwd: io.cwd });
    case 'text':
      // https://no-color.org: any non-empty NO_COLOR turns colours off.
      return formatText(report, { cwd: io.cwd, color: io.isTTY && !io.env.NO_COLOR });
  }
}

/** Paths are resolved here so the engine and the messages see the same absolute paths. */
function loadOptions(args: ProjectArgs, cwd: string): LoadOptions {
  const resolve = (p: string): string => path.resolve(cwd, p);
  return {
    files: args.files.map(resolve),
    workingDirectory: cwd,
    ...(args.projectDirectory !== undefined ? { projectDirectory: resolve(args.projectDirectory) } : {}),
    ...(args.projectName !== undefined ? { projectName: args.projectName } : {}),
    // Absent rather than empty: the engine's defaults (.env, COMPOSE_PROFILES) apply only then.
    ...(args.envFiles.length > 0 ? { envFiles: args.envFiles.map(resolve) } : {}),
    ...(args.profiles.length > 0 ? { profiles: [...args.profiles] } : {}),
  };
}

function describeTarget(options: LoadOptions, cwd: string): string {
  if (options.files.length > 0) return options.files.map((f) => displayPath(f, cwd)).join(', ');
  return `the compose project in ${options.projectDirectory ?? options.workingDirectory}`;
}

function orList(items: readonly string[]): string {
  return items.length <= 1
    ? items.join('')
    : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

function oneLine(s: string): string {
  return s.replace(/\s*\r?\n\s*/g, ' ');
}
