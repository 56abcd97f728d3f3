#!/usr/bin/env node
/**
 * Process entry of `compose-reachability`: hands the process to `main` and ends it with the
 * code `main` returns.
 */
import { main } from './main';
import { fdWriter, isTerminal } from './output';

const stdout = fdWriter(1, () => process.stdout);
const stderr = fdWriter(2, () => process.stderr);

/**
 * Ends the process at once when nothing is left to do: the output has been written (no stream
 * still holds some) and nothing else would keep the process alive (the language server's stdin
 * would). That is where Node would exit anyway, only after tearing the heap down first, ~5-10 ms
 * of a `check` here (`node --cpu-prof` shows it as idle time after the last JavaScript).
 * Otherwise the exit code is set and Node exits when the rest is done.
 */
function end(code: number): void {
  if (stdout.written && stderr.written && process.getActiveResourcesInfo().length === 0) {
    process.exit(code);
  }
  process.exitCode = code;
}

main(process.argv.slice(2), {
  stdout,
  stderr,
  cwd: process.cwd(),
  env: process.env,
  isTTY: isTerminal(1),
}).then(end, (e: unknown) => {
  // main never rejects; this is the last guard against a stack trace for the user.
  stderr.write(`compose-reachability: ${e instanceof Error ? e.message : String(e)}\n`);
  end(2);
});
