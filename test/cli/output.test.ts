/**
 * The command's output on a file descriptor (server/src/cli/output.ts): written whole, in order,
 * through a reader that is behind or gone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { fdWriter, isTerminal } from '../../server/src/cli/output';

/** Both ends of a new FIFO, non-blocking: a write that would wait fails with EAGAIN instead. */
function fifo(): { dir: string; read: number; write: number; close(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-fifo-'));
  const file = path.join(dir, 'pipe');
  const made = spawnSync('mkfifo', [file]);
  assert.equal(made.status, 0, String(made.stderr));
  const read = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  const write = fs.openSync(file, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK);
  const close = (): void => {
    for (const fd of [read, write]) {
      try {
        fs.closeSync(fd);
      } catch {
        // Closed by the test already.
      }
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { dir, read, write, close };
}

/** What can be read from `fd` now. */
function drain(fd: number): Buffer {
  const parts: Buffer[] = [];
  const buf = Buffer.alloc(1 << 16);
  for (;;) {
    let n: number;
    try {
      n = fs.readSync(fd, buf);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EAGAIN') break;
      throw e;
    }
    if (n === 0) break;
    parts.push(Buffer.from(buf.subarray(0, n)));
  }
  return Buffer.concat(parts);
}

/** A stream that keeps what it is given. */
function collector(): { stream: Writable; chunks: Buffer[] } {
  const chunks: Buffer[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
  return { stream, chunks };
}

describe('the command writes its output to the file descriptor', () => {
  test('a reader that is behind: what the pipe cannot take goes through the stream, in order', () => {
    const { read, write, close } = fifo();
    try {
      const { stream, chunks } = collector();
      let made = 0;
      const out = fdWriter(write, () => {
        made++;
        return stream;
      });
      // More than a pipe holds (64 KiB on Linux), with multi-byte characters across the cut.
      const first = 'é→'.repeat(30_000);
      out.write(first);
      assert.equal(made, 1, 'the stream is made once the pipe is full');
      assert.equal(out.written, false);
      out.write('the end\n');
      assert.equal(made, 1);
      const got = Buffer.concat([drain(read), ...chunks]).toString('utf8');
      assert.equal(got, first + 'the end\n');
    } finally {
      close();
    }
  });

  test('a reader that keeps up: no stream is made', () => {
    const { read, write, close } = fifo();
    try {
      const out = fdWriter(write, () => assert.fail('no stream needed'));
      out.write('one\n');
      out.write('two\n');
      assert.equal(out.written, true);
      assert.equal(drain(read).toString('utf8'), 'one\ntwo\n');
    } finally {
      close();
    }
  });

  test('a reader that is gone (`| head`): the rest is dropped, not an error', () => {
    const { read, write, close } = fifo();
    try {
      fs.closeSync(read);
      const out = fdWriter(write, () => assert.fail('no stream for a closed pipe'));
      assert.equal(out.write('lost\n'), false);
      assert.equal(out.write('lost too\n'), false);
      assert.equal(out.written, true);
    } finally {
      close();
    }
  });

  test('pipes and files are not terminals', () => {
    const { dir, write, close } = fifo();
    try {
      assert.equal(isTerminal(write), false);
      const file = fs.openSync(path.join(dir, 'file'), 'w');
      assert.equal(isTerminal(file), false);
      fs.closeSync(file);
    } finally {
      close();
    }
  });
});
