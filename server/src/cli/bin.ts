#!/usr/bin/env node
/**
 * Process entry of `compose-reachability`: hands the process to `main` and sets the exit
 * code without calling `process.exit`, so buffered output to a pipe is not cut off.
 */
import { main } from './main';

// `compose-reachability matrix | head` closes the pipe early; that is not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code !== 'EPIPE') throw e;
});

main(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
  env: process.env,
  isTTY: process.stdout.isTTY === true,
}).then(
  (code) => {
    process.exitCode = code;
  },
  // main never rejects; this is the last guard against a stack trace for the user.
  (e: unknown) => {
    process.stderr.write(`compose-reachability: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 2;
  },
);
