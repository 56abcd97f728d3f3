/**
 * The projects every stage runs on, written to a temporary directory: generated projects at
 * several sizes and the largest real compose files of the shared corpus.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { filesUnder, SHARED } from '../support/paths';
import { generateProject } from '../support/generateProject';
import type { Fixture } from './types';

/** Service counts of the generated projects (the chart's x axis). */
export const SIZES = [10, 100, 500, 2000] as const;

/** The generated project closest to ~50 KB, the size the keystroke targets are set for. */
export const TARGET_50KB = 'gen-120';

/** How many of the corpus's largest compose files to add. */
const CORPUS_COUNT = 3;

const COMPOSE_FILE = /^(docker-)?compose\.ya?ml$/;

/** Writes the fixtures under a new temporary directory and describes them. */
export function writeFixtures(root = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-bench-'))): Fixture[] {
  const out: Fixture[] = [];
  for (const count of [...SIZES, 120].sort((a, b) => a - b)) {
    const project = generateProject(count);
    const dir = path.join(root, `gen-${count}`);
    fs.mkdirSync(dir, { recursive: true });
    const files: string[] = [];
    let bytes = 0;
    for (const [name, text] of Object.entries(project.files)) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, text);
      files.push(file);
      bytes += Buffer.byteLength(text);
    }
    out.push({ name: `gen-${count}`, services: project.services, bytes, dir, files, generated: true });
  }
  for (const src of largestCorpusFiles(CORPUS_COUNT)) {
    const name = `corpus-${path.basename(path.dirname(src))}`;
    const dir = path.join(root, name);
    fs.cpSync(path.dirname(src), dir, { recursive: true });
    const file = path.join(dir, path.basename(src));
    const text = fs.readFileSync(file, 'utf8');
    const services = countServices(text);
    out.push({ name, services, bytes: Buffer.byteLength(text), dir, files: [file], generated: false });
  }
  return out;
}

/** The largest compose files under ../shared/corpus, largest first. */
function largestCorpusFiles(count: number): string[] {
  return filesUnder(path.join(SHARED, 'corpus'), COMPOSE_FILE)
    .map((file) => ({ file, size: fs.statSync(file).size }))
    .sort((a, b) => b.size - a.size || (a.file < b.file ? -1 : 1))
    .slice(0, count)
    .map((f) => f.file);
}

/** Keys two spaces under `services:` (corpus files are written that way). */
function countServices(text: string): number {
  const block = /^services:\s*\n((?:[ \t#].*\n|\s*\n)*)/m.exec(text)?.[1] ?? '';
  return block.split('\n').filter((l) => /^ {2}[A-Za-z0-9_.-]+:/.test(l)).length;
}
