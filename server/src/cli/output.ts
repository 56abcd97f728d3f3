/**
 * The command's stdout and stderr, written with `fs.writeSync` on the file descriptor.
 *
 * Why: `process.stdout` on a pipe (a CI log) is a `net.Socket`, and creating it loads Node's
 * stream and net modules, about 5 ms of a 200 ms `check` here (`node --cpu-prof`, timed against
 * `node -e 0`); `process.stdout.isTTY` loads `tty`, which loads them too. A report is one string
 * written once, so a synchronous write of it needs none of that. The stream is still the
 * fallback, for the one case a plain write cannot finish: a non-blocking descriptor whose
 * reader is behind (`EAGAIN`). A closed reader (`EPIPE`, `... | head`) is not an error: what is
 * left is dropped, as the stream's error handler did before.
 */
import * as fs from 'node:fs';
import type { Writer } from './main';

/** A writer on a file descriptor. */
export interface FdWriter extends Writer {
  /** Whether all that was written has left the process (no stream holds any of it). */
  readonly written: boolean;
}

/**
 * A writer on `fd` that falls back to `stream()` (created only then) for the rest of the output
 * once a write would block, so the order of the text is kept.
 */
export function fdWriter(fd: number, stream: () => NodeJS.WritableStream): FdWriter {
  let mode: 'fd' | 'stream' | 'closed' = 'fd';
  let fallback: NodeJS.WritableStream | undefined;
  const toStream = (chunk: string | Buffer): void => {
    if (!fallback) {
      fallback = stream();
      fallback.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code !== 'EPIPE') throw e;
      });
    }
    fallback.write(chunk);
  };
  return {
    get written() {
      return mode !== 'stream';
    },
    write(chunk: string): boolean {
      if (mode === 'closed') return false;
      if (mode === 'stream') {
        toStream(chunk);
        return true;
      }
      const bytes = Buffer.from(chunk, 'utf8');
      let done = 0;
      while (done < bytes.length) {
        try {
          done += fs.writeSync(fd, bytes, done);
        } catch (e) {
          const code = (e as NodeJS.ErrnoException).code;
          if (code === 'EAGAIN') {
            mode = 'stream';
            toStream(bytes.subarray(done));
            return true;
          }
          if (code === 'EPIPE') {
            mode = 'closed';
            return false;
          }
          throw e;
        }
      }
      return true;
    },
  };
}

/**
 * Whether `fd` is a terminal, without loading `tty` for what cannot be one: only a character
 * device can (pipes, files and sockets are not), and only then is `isatty` asked.
 */
export function isTerminal(fd: number): boolean {
  try {
    if (!fs.fstatSync(fd).isCharacterDevice()) return false;
  } catch {
    return false;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only for a character device
  const tty = require('node:tty') as typeof import('node:tty');
  return tty.isatty(fd);
}
