/**
 * What a service's own definition says about what it is, read from its located node: the
 * volumes it mounts, the ports it exposes, its healthcheck, where it is built from. The
 * model keeps only what the graph needs; the mounted-config reader, the labels, the tiers and
 * the rules read the rest here.
 * Pure: strings and spans in, no lookups outside the service.
 */
import { child, scalarBool, scalarText, type LNode, type Span } from '../load/tree';
import type { ServiceModel } from '../model/types';
import { commandWords as shellWords } from './command';

/** One entry of a service's `volumes:`, either syntax. */
export interface VolumeMount {
  /** Host path or volume name; undefined for an anonymous volume. */
  source?: string;
  /** Path inside the container. */
  target?: string;
  /** The whole entry: the scalar token or the long-form map. */
  span: Span;
  /** A host path bind-mounted: long form `type: bind`, or a short source starting `.` or `/`. */
  bind: boolean;
}

/** The entries of `volumes:` that can be read (interpolation already applied). */
export function volumeMounts(svc: ServiceModel): VolumeMount[] {
  const list = child(svc.node, 'volumes');
  if (list?.kind !== 'seq') return [];
  const out: VolumeMount[] = [];
  for (const item of list.items) {
    if (item.kind === 'map') {
      const source = scalarText(child(item, 'source'));
      const target = scalarText(child(item, 'target'));
      const bind = scalarText(child(item, 'type')) === 'bind';
      out.push({ ...(source ? { source } : {}), ...(target ? { target } : {}), span: item.span, bind });
      continue;
    }
    const text = scalarText(item);
    if (text === undefined) continue;
    const parts = text.split(':');
    // A Windows drive (`C:\data:/var/lib/mysql`) is one part, not two.
    if (parts.length > 2 && /^[a-zA-Z]$/.test(parts[0]!) && /^[\\/]/.test(parts[1]!)) {
      parts.splice(0, 2, `${parts[0]}:${parts[1]}`);
    }
    if (parts.length === 1) out.push({ target: parts[0]!, span: item.span, bind: false });
    // Named volumes start otherwise; a Windows drive letter is not this host's.
    else out.push({ source: parts[0]!, target: parts[1]!, span: item.span, bind: /^[./]/.test(parts[0]!) });
  }
  return out;
}

/** A path without trailing slashes and with doubled slashes folded. */
function normalPath(p: string): string {
  const s = p.replace(/\\/g, '/').replace(/\/{2,}/g, '/');
  return s.length > 1 ? s.replace(/\/+$/, '') : s;
}

/**
 * The Docker Engine's API socket (or Podman's, which speaks the same API) on the host:
 * `/var/run/docker.sock`, `/run/docker.sock`, a rootless `/run/user/1000/docker.sock`, and
 * Windows' named pipe.
 */
function isEngineSocket(source: string): boolean {
  const p = normalPath(source);
  return /(^|\/)(docker|podman)\.sock$/.test(p) || /^\/\/\.\/pipe\/docker_engine$/i.test(p);
}

/** How a service gets the Docker API: the mount or the `use_api_socket` flag that grants it. */
export interface DockerSocketAccess {
  /** The volume entry, or the `use_api_socket` value. */
  span: Span;
  kind: 'mount' | 'use_api_socket';
  /** The mount is marked `:ro` / `read_only`: that does not limit what the API allows. */
  readOnly: boolean;
}

/**
 * The first way `svc` reaches the Docker Engine API, if any. Whoever holds the socket can
 * create containers on any network, with any mounts, so it reaches and controls everything.
 */
export function dockerSocketAccess(svc: ServiceModel): DockerSocketAccess | undefined {
  for (const m of volumeMounts(svc)) {
    if (m.source === undefined || !isEngineSocket(m.source)) continue;
    const node = nodeAtSpan(svc, m.span);
    const readOnly =
      node?.kind === 'map'
        ? scalarBool(child(node, 'read_only')) === true
        : /:ro(,|$)/.test(scalarText(node) ?? '');
    return { span: m.span, kind: 'mount', readOnly };
  }
  const flag = child(svc.node, 'use_api_socket');
  if (scalarBool(flag) === true) return { span: flag!.span, kind: 'use_api_socket', readOnly: false };
  return undefined;
}

function nodeAtSpan(svc: ServiceModel, span: Span): LNode | undefined {
  const list = child(svc.node, 'volumes');
  return list?.kind === 'seq' ? list.items.find((i) => i.span === span) : undefined;
}

/** Container ports of `expose:` (single ports; a range or a protocol suffix is cut to its first port). */
export function exposedPorts(svc: ServiceModel): Array<{ port: string; span: Span }> {
  const list = child(svc.node, 'expose');
  if (list?.kind !== 'seq') return [];
  const out: Array<{ port: string; span: Span }> = [];
  for (const item of list.items) {
    const text = scalarText(item);
    const m = text === undefined ? null : /^(\d+)(?:\/tcp)?$/.exec(text.trim());
    if (m) out.push({ port: m[1]!, span: item.span });
  }
  return out;
}

/** The healthcheck's command as one line (`CMD`/`CMD-SHELL` dropped), or undefined. */
export function healthcheckCommand(svc: ServiceModel): { text: string; span: Span } | undefined {
  const test = child(child(svc.node, 'healthcheck'), 'test');
  if (!test) return undefined;
  if (test.kind === 'seq') {
    const words = test.items.map((i) => scalarText(i) ?? '');
    if (words[0] === 'NONE') return undefined;
    if (words[0] === 'CMD' || words[0] === 'CMD-SHELL') words.shift();
    return { text: words.join(' '), span: test.span };
  }
  const text = scalarText(test);
  return text === undefined ? undefined : { text, span: test.span };
}

/**
 * The names a service is built under: the last segment of its build context (`./db` → `db`)
 * and its Dockerfile's name without the `Dockerfile` part (`postgres.Dockerfile`,
 * `Dockerfile.postgres` → `postgres`). A remote context (a Git URL) gives none.
 */
export function buildNames(svc: ServiceModel): Array<{ name: string; span: Span }> {
  const build = child(svc.node, 'build');
  const context = build?.kind === 'scalar' ? build : child(build, 'context');
  const out: Array<{ name: string; span: Span }> = [];
  const ctx = scalarText(context);
  if (ctx !== undefined && !/^[a-z]+:\/\/|^git@|\.git(#|$)/i.test(ctx)) {
    const segs = normalPath(ctx)
      .split('/')
      .filter((s) => s !== '' && s !== '.' && s !== '..');
    const last = segs[segs.length - 1];
    if (last) out.push({ name: last.toLowerCase(), span: context!.span });
  }
  const dockerfileNode = child(build, 'dockerfile');
  const file = scalarText(dockerfileNode);
  if (file !== undefined) {
    const base = normalPath(file).split('/').pop()!.toLowerCase();
    const name = base.replace(/^dockerfile[.-]?|[.-]?dockerfile$/g, '');
    if (name !== '' && name !== base) out.push({ name, span: dockerfileNode!.span });
  }
  return out;
}

/** The `entrypoint` and `command` arguments as words, a string split as a shell would. */
export function commandWords(svc: ServiceModel): string[] {
  return [
    ...shellWords(child(svc.node, 'entrypoint'), undefined),
    ...shellWords(child(svc.node, 'command'), undefined),
  ].map((w) => w.text);
}

/**
 * The path of an image reference without registry, tag or digest, lower-cased:
 * `docker.io/library/postgres:16` → `postgres`, `mcr.microsoft.com/mssql/server:2022` → `mssql/server`.
 */
export function imagePath(image: string): string {
  const noDigest = image.split('@')[0]!;
  const slash = noDigest.lastIndexOf('/');
  const colon = noDigest.indexOf(':', slash + 1);
  const parts = (colon >= 0 ? noDigest.slice(0, colon) : noDigest).toLowerCase().split('/');
  // A first segment with a dot or a port, or `localhost`, is a registry host, not a namespace.
  if (parts.length > 1 && (/[.:]/.test(parts[0]!) || parts[0] === 'localhost')) parts.shift();
  if (parts.length > 1 && parts[0] === 'library') parts.shift();
  return parts.join('/');
}

/**
 * The repository name of an image reference, whatever its registry, namespace, tag or digest:
 * `docker.io/library/postgres:16-alpine` → `postgres`, `bitnami/redis@sha256:…` → `redis`.
 */
export function imageRepository(image: string): string {
  const p = imagePath(image);
  return p.slice(p.lastIndexOf('/') + 1);
}
