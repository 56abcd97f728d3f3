/**
 * What the server writes to the client's log (`window/logMessage`) when something fails. One
 * line: the output channel is read by people, and a stack trace there names the server's own
 * files, which tells a user nothing and an attacker who fed the file where the parser broke.
 * With the debug setting (COMPOSE_REACHABILITY_DEBUG in the server's environment, as for the
 * command line) the trace follows the line.
 */

/** The environment variable that turns stack traces on, for the command line and the server. */
export const DEBUG_VARIABLE = 'COMPOSE_REACHABILITY_DEBUG';

/** The longest logged line: an error message may quote a whole input. */
const MAX_LINE = 500;

/** The message of a thrown value, without its stack. */
export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Whether an environment asks for stack traces. */
export function debugFrom(env: Readonly<Record<string, string | undefined>>): boolean {
  return !!env[DEBUG_VARIABLE];
}

/**
 * The text to log for a failure: `message` on one line (line breaks and control characters
 * become spaces, bounded), then, with `debug`, the stack of `cause`; without, a hint at how
 * to get it.
 */
export function logText(message: string, cause: unknown, debug: boolean): string {
  // eslint-disable-next-line no-control-regex -- control characters are what is replaced
  let line = message.replace(/[\0-\x1f\x7f\u2028\u2029]+/g, ' ').trim();
  if (line.length > MAX_LINE) line = `${line.slice(0, MAX_LINE - 1)}…`;
  const stack = cause instanceof Error ? cause.stack : undefined;
  if (!stack) return line;
  return debug ? `${line}\n${stack}` : `${line} (set ${DEBUG_VARIABLE}=1 for the stack trace)`;
}
