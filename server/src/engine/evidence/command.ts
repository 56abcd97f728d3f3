/**
 * Peers a service names in its `command`, `entrypoint` or `healthcheck.test`: the hosts it
 * waits for or connects to (`wait-for-it db:3306`, `nc -z db 5432`, `pg_isready -h db`,
 * `dockerize -wait tcp://db:5432`, `--redis-url=redis://cache`), also inside `sh -c` scripts.
 *
 * Precision first, as in model/hosts.ts: a word counts only in a host position (a URL
 * authority, `host:port`, the value of a host flag, the host argument of netcat), never
 * as a bare word (`-U postgres`, `echo db`).
 */
import { innerStart } from '../load/canonical';
import type { LNode, Span } from '../load/tree';
import { isHostName, isPort, tokenHost, type EvidenceRef } from './refs';
import { splitShell, tokenSpan, type ShellToken } from './shell';

/** Programs whose `-c SCRIPT` runs a shell script. */
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash', 'zsh', 'ksh']);

/** Programs whose short `-h` (or `-S` for sqlcmd) is the server's host, not help. */
const SHORT_HOST_FLAGS: ReadonlyMap<string, string> = new Map([
  ['pg_isready', '-h'],
  ['psql', '-h'],
  ['pg_dump', '-h'],
  ['pg_restore', '-h'],
  ['mysql', '-h'],
  ['mysqladmin', '-h'],
  ['mysqldump', '-h'],
  ['mariadb', '-h'],
  ['mariadb-admin', '-h'],
  ['redis-cli', '-h'],
  ['mongosh', '-h'],
  ['mongo', '-h'],
  ['cqlsh', '-h'],
  ['clickhouse-client', '-h'],
  ['wait-for-it', '-h'],
  ['wait-for-it.sh', '-h'],
  ['sqlcmd', '-S'],
]);

/** Shell keywords and wrappers before the program a simple command runs (`until nc -z db 5432`). */
const PREFIX_WORDS = new Set([
  'exec',
  'nohup',
  'until',
  'while',
  'if',
  'then',
  'do',
  'else',
  'elif',
  '!',
  'time',
  '{',
]);

/** netcat-like programs: `nc [options] HOST PORT`. */
const NETCAT = new Set(['nc', 'ncat', 'netcat', 'telnet']);

/** netcat options that take a value (the value is not the host). */
const NETCAT_VALUE_OPTIONS = new Set([
  '-w',
  '-i',
  '-p',
  '-s',
  '-q',
  '-x',
  '-X',
  '-W',
  '-T',
  '-O',
  '-I',
  '-e',
  '-c',
]);

/** Last words of long flags whose value is a peer's host (`--db-host`, `--redis-url`, `--bootstrap-server`). */
const HOST_FLAG_WORDS = new Set([
  'host',
  'hosts',
  'server',
  'servers',
  'addr',
  'address',
  'addresses',
  'url',
  'urls',
  'uri',
  'endpoint',
  'endpoints',
  'broker',
  'brokers',
  'upstream',
]);

/** Words of flags about the container itself (what it binds, listens on or advertises). */
const SELF_FLAG_WORDS = new Set([
  'bind',
  'listen',
  'listener',
  'listeners',
  'advertise',
  'advertised',
  'external',
  'public',
]);

/** Ports below 80 still plausible in a bare `host:port` word. */
const LOW_WELL_KNOWN_PORTS = new Set(['21', '22', '25', '53']);

/**
 * The words of a `command`/`entrypoint` value: a string splits like a shell would (what
 * Compose does), a list is one word per item (exec form). Offsets are the source's where the
 * scalar spells its value; otherwise a word points at its whole scalar.
 */
export function commandWords(node: LNode | undefined, text: string | undefined): ShellToken[] {
  if (!node) return [];
  if (node.kind === 'scalar') {
    if (typeof node.value !== 'string') return [];
    return splitShell(node.value, ...located(node.value, node.span, text));
  }
  if (node.kind !== 'seq') return [];
  const out: ShellToken[] = [];
  for (const item of node.items) {
    if (item.kind !== 'scalar' || item.value === null || typeof item.value === 'boolean') continue;
    const value = String(item.value);
    const [at, whole] = located(value, item.span, text);
    out.push({ text: value, at, op: false, ...(whole ? { whole } : {}) });
    // Exec form: no shell between items, but a new item is never the value of an operator.
  }
  return out;
}

/**
 * The words of `healthcheck.test`: `[CMD, prog, args...]` runs as is, `[CMD-SHELL, script]`
 * and a plain string run in a shell, `[NONE]` runs nothing.
 */
export function healthcheckWords(node: LNode | undefined, text: string | undefined): ShellToken[] {
  if (!node) return [];
  if (node.kind === 'scalar') return commandWords(node, text);
  if (node.kind !== 'seq') return [];
  const head = node.items[0];
  const kind = head?.kind === 'scalar' ? String(head.value) : '';
  const rest: LNode = { ...node, items: node.items.slice(1) };
  if (kind === 'CMD') return commandWords(rest, text);
  if (kind === 'CMD-SHELL') {
    const words: ShellToken[] = [];
    for (const w of commandWords(rest, text)) words.push(...splitShell(w.text, w.at, w.whole));
    return words;
  }
  return [];
}

/** Where each character of a scalar's value is written, or the scalar's span when unknown. */
function located(
  value: string,
  span: Span,
  text: string | undefined,
): [number[], { start: number; end: number } | undefined] {
  const start = innerStart(span, value, text);
  if (start === undefined) return [Array.from(value, () => span.start), { start: span.start, end: span.end }];
  return [Array.from(value, (_, i) => start + i), undefined];
}

/**
 * Hosts named in a command's words, as source offsets (`offset`, `length`). Operators split
 * the words into commands; `sh -c SCRIPT` scans the script's own words.
 */
export function commandHostRefs(words: readonly ShellToken[]): EvidenceRef[] {
  const out: EvidenceRef[] = [];
  let start = 0;
  for (let i = 0; i <= words.length; i++) {
    if (i === words.length || words[i]!.op) {
      if (i > start) scanSimpleCommand(words.slice(start, i), out);
      start = i + 1;
    }
  }
  return out;
}

function scanSimpleCommand(words: ShellToken[], out: EvidenceRef[]): void {
  let i = 0;
  // Leading `VAR=value` assignments: their values are scanned like any word.
  while (i < words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[i]!.text)) {
    const w = words[i]!;
    values(w, w.text.indexOf('=') + 1, false, out);
    i++;
  }
  while (i < words.length && PREFIX_WORDS.has(words[i]!.text)) i++;
  const first = words[i];
  if (!first) return;
  const prog = first.text.slice(first.text.lastIndexOf('/') + 1);

  if (SHELLS.has(prog)) {
    for (let k = i + 1; k < words.length; k++) {
      const w = words[k]!.text;
      if (!w.startsWith('-')) break;
      if (/^-[a-z]*c[a-z]*$/.test(w)) {
        const script = words[k + 1];
        if (script) out.push(...commandHostRefs(splitShell(script.text, script.at, script.whole)));
        return;
      }
    }
  }

  if (NETCAT.has(prog)) {
    netcatHost(words.slice(i + 1), out);
    return;
  }

  const shortHost = SHORT_HOST_FLAGS.get(prog);
  for (let k = i + 1; k < words.length; k++) {
    const w = words[k]!;
    const t = w.text;
    if (t.startsWith('-') && t.length > 1) {
      const eq = t.indexOf('=');
      const name = eq < 0 ? t : t.slice(0, eq);
      if (name === shortHost || isHostFlag(name)) {
        if (eq >= 0) values(w, eq + 1, true, out);
        else {
          const next = words[k + 1];
          if (next && !next.text.startsWith('-')) {
            values(next, 0, true, out);
            k++;
          }
        }
      } else if (eq >= 0 && name.startsWith('--') && !isSelfFlag(name) && !isSecretFlag(name)) {
        values(w, eq + 1, false, out);
      }
      continue;
    }
    values(w, 0, false, out);
  }
}

/** `nc [-options] HOST PORT`: the first operand, when a port follows it. */
function netcatHost(args: ShellToken[], out: EvidenceRef[]): void {
  const operands: ShellToken[] = [];
  for (let k = 0; k < args.length; k++) {
    const t = args[k]!.text;
    if (t.startsWith('-')) {
      if (NETCAT_VALUE_OPTIONS.has(t)) k++;
      continue;
    }
    operands.push(args[k]!);
  }
  const [host, port] = operands;
  if (!host || !port || !/^[0-9]+(-[0-9]+)?$/.test(port.text) || !isHostName(host.text)) return;
  const span = tokenSpan(host, 0, host.text.length);
  out.push({ host: host.text, offset: span.start, length: span.end - span.start, port: port.text });
}

/**
 * Hosts in the comma-separated value starting at `from` in `word`. `bare`: the value is a
 * host position (a host flag's value), so a plain name counts; otherwise only a URL or
 * `host:port`.
 */
function values(word: ShellToken, from: number, bare: boolean, out: EvidenceRef[]): void {
  let at = from;
  for (const piece of word.text.slice(from).split(',')) {
    const ref = tokenHost(piece, at, bare);
    at += piece.length + 1;
    if (!ref) continue;
    const isUrl = piece.includes('://');
    // A bare `name:port` word anywhere in a command: ports below 80 are mostly versions (`redis:7`).
    if (
      !bare &&
      !isUrl &&
      ref.port !== undefined &&
      Number(ref.port) < 80 &&
      !LOW_WELL_KNOWN_PORTS.has(ref.port)
    )
      continue;
    const span = tokenSpan(word, ref.offset, ref.offset + ref.length);
    out.push({
      host: ref.host,
      offset: span.start,
      length: span.end - span.start,
      ...(ref.port !== undefined && isPort(ref.port) ? { port: ref.port } : {}),
    });
  }
}

function flagWords(name: string): string[] {
  return name
    .replace(/^-+/, '')
    .toLowerCase()
    .split(/[-_.]/)
    .filter((w) => w !== '');
}

/** Flags whose value is a credential: never looked into, even for a `host:port` shape. */
function isSecretFlag(name: string): boolean {
  return flagWords(name).some((w) => /^(password|passwd|pass|secret|token|key|credentials?)$/.test(w));
}

function isSelfFlag(name: string): boolean {
  const words = flagWords(name);
  return words.some((w) => SELF_FLAG_WORDS.has(w)) || (words.length === 1 && words[0] === 'hostname');
}

/** A long flag whose value is a peer's host: `--host`, `--db-host`, `--redis-url`, `--bootstrap-server`. */
function isHostFlag(name: string): boolean {
  if (!name.startsWith('--')) return false;
  const words = flagWords(name);
  const last = words[words.length - 1];
  return last !== undefined && HOST_FLAG_WORDS.has(last) && !isSelfFlag(name);
}
