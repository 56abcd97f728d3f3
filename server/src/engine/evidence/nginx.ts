/**
 * nginx: `proxy_pass`, `fastcgi_pass`, `uwsgi_pass`, `grpc_pass`, `scgi_pass` targets,
 * `server` lines of `upstream` blocks, and URLs in `set $var "http://x"`. A `proxy_pass` to
 * an upstream group's name names the group, not a host.
 */
import { tokenHost, type EvidenceRef } from './refs';
import { blankComments, directiveArgs, freeTextHosts } from './text';

/** Host references in an nginx configuration file, offsets in `text`. */
export function nginxHosts(text: string): EvidenceRef[] {
  const clean = blankComments(text);
  const out: EvidenceRef[] = [];
  const upstreams = new Set<string>();
  for (const m of clean.matchAll(/(^|[\s;{}])upstream\s+([^\s{]+)\s*\{([^}]*)\}/g)) {
    upstreams.add((m[2] ?? '').toLowerCase());
    const body = m[3] ?? '';
    const bodyAt = m.index + m[0].length - 1 - body.length;
    for (const a of directiveArgs(body, /(^|[\s;{])server\s+/g)) {
      if (a.index !== 0) continue;
      const ref = tokenHost(a.word, bodyAt + a.at, true);
      if (ref) out.push(ref);
    }
  }
  for (const a of directiveArgs(clean, /(^|[\s;{}])(?:proxy|fastcgi|uwsgi|grpc|scgi|memcached)_pass\s+/g)) {
    if (a.index !== 0 || a.word.startsWith('unix:') || a.word.includes('$')) continue;
    const ref = tokenHost(a.word, a.at, true);
    if (ref && !upstreams.has(ref.host.toLowerCase())) out.push(ref);
  }
  for (const a of directiveArgs(clean, /(^|[\s;{}])set\s+/g)) {
    if (a.index === 1)
      out.push(...freeTextHosts(a.word, a.at).filter((r) => a.word.includes('://') || r.port));
  }
  return out;
}
