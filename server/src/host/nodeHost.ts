/**
 * The engine host of the command line: the real file system and the process environment.
 */
import * as fs from 'node:fs';
import type { EngineHost } from '../engine/host';
import { decodeBytes } from './encoding';

/**
 * An EngineHost reading files with `fs`. It never throws: a file that is missing, is a
 * directory or cannot be read is simply absent, and the engine reports it as a finding.
 */
export function createNodeHost(env: Readonly<Record<string, string | undefined>> = process.env): EngineHost {
  return {
    env,
    readFile(path: string): string | undefined {
      try {
        // Lossless: BOM and UTF-16 handled, invalid UTF-8 kept as escapes (encoding.ts).
        return decodeBytes(fs.readFileSync(path)).text;
      } catch {
        return undefined;
      }
    },
    listDirectory(path: string): string[] | undefined {
      try {
        return fs.readdirSync(path);
      } catch {
        return undefined;
      }
    },
    fileExists(path: string): boolean {
      try {
        return fs.statSync(path, { throwIfNoEntry: false })?.isFile() ?? false;
      } catch {
        // EACCES, ENOTDIR, ELOOP...: unreadable counts as absent.
        return false;
      }
    },
  };
}
