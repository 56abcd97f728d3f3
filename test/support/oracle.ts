/**
 * Docker's own loader as a judge: Debian's docker-compose 1.29 (`/usr/bin/docker-compose`).
 * `config -q` is run in one Python process over many project directories (the CLI's own
 * `main`, argument for argument), since starting docker-compose once per project costs
 * half a second.
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parse } from 'yaml';

/** The docker-compose script, or undefined when it is not installed. */
export function dockerCompose(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const file = path.join(dir, 'docker-compose');
    if (fs.existsSync(file)) return file;
  }
  return undefined;
}

const DRIVER = `
import contextlib, io, json, os, sys
from compose.cli.main import main
out = {}
for d in sys.argv[1:]:
    os.chdir(d)
    sys.argv = ['docker-compose', 'config', '-q']
    err = io.StringIO()
    code = 0
    try:
        with contextlib.redirect_stderr(err):
            main()
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    out[d] = {'code': code, 'stderr': err.getvalue()}
print(json.dumps(out))
`;

/** `docker-compose config -q` in each directory: exit code and stderr. */
export function composeConfigQuiet(dirs: readonly string[]): Map<string, { code: number; stderr: string }> {
  const script = dockerCompose();
  if (!script || dirs.length === 0) return new Map();
  // The script's interpreter is the Python that has the `compose` package.
  const shebang = fs
    .readFileSync(script, 'utf8')
    .split('\n')[0]!
    .replace(/^#!\s*/, '')
    .split(/\s+/);
  const out = execFileSync(shebang[0]!, [...shebang.slice(1), '-c', DRIVER, ...dirs], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return new Map(Object.entries(JSON.parse(out) as Record<string, { code: number; stderr: string }>));
}

/** A fresh temporary directory. */
export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Copies a corpus project into `dir` with what docker-compose 1.29 checks exists and the
 * corpus does not ship: build contexts and env files.
 */
export function stageProject(project: string, dir: string): void {
  for (const name of fs.readdirSync(project)) {
    const from = path.join(project, name);
    if (fs.statSync(from).isFile()) fs.copyFileSync(from, path.join(dir, name));
  }
  for (const name of fs.readdirSync(dir).filter((n) => /\.ya?ml$/.test(n))) {
    const doc = parse(fs.readFileSync(path.join(dir, name), 'utf8')) as {
      services?: Record<string, Record<string, unknown>>;
    } | null;
    for (const svc of Object.values(doc?.services ?? {})) {
      const build = svc?.['build'];
      const context =
        typeof build === 'string' ? build : (build as { context?: string } | undefined)?.context;
      if (context && !context.includes('://')) fs.mkdirSync(path.resolve(dir, context), { recursive: true });
      const envFiles = svc?.['env_file'];
      for (const f of Array.isArray(envFiles) ? envFiles : envFiles ? [envFiles] : []) {
        const file = path.resolve(dir, typeof f === 'string' ? f : (f as { path: string }).path);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        if (!fs.existsSync(file)) fs.writeFileSync(file, '');
      }
    }
  }
}
