/**
 * The engine host of the command line: the real file system and the process environment.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  isSpecialPath,
  MAX_FILE_BYTES,
  type EngineHost,
  type ReadOptions,
  type ReadResult,
} from '../engine/host';
import { decodeBytes } from './encoding';

/**
 * An EngineHost reading files with `fs`. It never throws: a file that is missing, is a
 * directory or cannot be read is simply absent, and the engine reports it as a finding.
 */
export function createNodeHost(env: Readonly<Record<string, string | undefined>> = process.env): EngineHost {
  return {
    env,
    tryRead: readRegularFile,
    readFile(file: string): string | undefined {
      const read = readRegularFile(file);
      return 'text' in read ? read.text : undefined;
    },
    listDirectory(dir: string): string[] | undefined {
      if (isSpecialPath(path.resolve(dir))) return undefined;
      try {
        return fs.readdirSync(dir);
      } catch {
        return undefined;
      }
    },
    fileExists(file: string): boolean {
      try {
        return fs.statSync(file, { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        // EACCES, ENOTDIR, ELOOP...: unreadable counts as absent.
        return false;
      }
    },
  };
}

/**
 * Reads `file` only when it is a regular file outside the kernel's pseudo file systems (also
 * through symlinks) and within the size cap, all checked before a byte is read: `/dev/zero`,
 * a FIFO or a directory would otherwise hang the read or exhaust memory.
 */
export function readRegularFile(file: string, options: ReadOptions = {}): ReadResult {
  const abs = path.resolve(file);
  if (isSpecialPath(abs)) return { problem: 'special' };
  let real: string;
  try {
    real = fs.realpathSync(abs);
  } catch (e) {
    return { problem: errorProblem(e) };
  }
  if (isSpecialPath(real)) return { problem: 'special' };
  if (options.within !== undefined && !isInside(real, realOrResolved(options.within))) {
    return { problem: 'outside' };
  }
  const max = options.maxBytes ?? MAX_FILE_BYTES;
  let fd: number | undefined;
  try {
    // stat before open: opening some devices has effects of its own.
    const before = fs.statSync(real);
    if (!before.isFile()) return { problem: 'not-a-file' };
    if (before.size > max) return { problem: 'too-large' };
    // O_NONBLOCK: should the path have been swapped for a FIFO since, open does not wait for a writer.
    fd = fs.openSync(real, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
    const st = fs.fstatSync(fd);
    if (!st.isFile()) return { problem: 'not-a-file' };
    if (st.size > max) return { problem: 'too-large' };
    // Read at most max + 1 bytes whatever the size said: a file growing meanwhile stays bounded.
    const buffer = Buffer.alloc(Math.min(st.size, max) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) break;
    }
    if (length > max) return { problem: 'too-large' };
    // Lossless: BOM and UTF-16 handled, invalid UTF-8 kept as escapes (encoding.ts).
    return { text: decodeBytes(buffer.subarray(0, length)).text };
  } catch (e) {
    return { problem: errorProblem(e) };
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

function errorProblem(e: unknown): 'missing' | 'unreadable' {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR' ? 'missing' : 'unreadable';
}

function realOrResolved(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function isInside(file: string, dir: string): boolean {
  const rel = path.relative(dir, file);
  return rel !== '' && rel !== '..' && !rel.startsWith('..' + path.sep) && !path.isAbsolute(rel);
}
