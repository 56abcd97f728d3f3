/** Caddyfile: the upstreams of `reverse_proxy` (and its `to` lines) and `php_fastcgi`. */
import { tokenHost, type EvidenceRef } from './refs';
import { blankComments, directiveArgs } from './text';

/** Host references in a Caddyfile, offsets in `text`. */
export function caddyHosts(text: string): EvidenceRef[] {
  const clean = blankComments(text);
  const out: EvidenceRef[] = [];
  for (const a of directiveArgs(clean, /(^|[\s{])(?:reverse_proxy|php_fastcgi|to)[ \t]+/g)) {
    // Matchers (`/api/*`, `@name`, `*`) come before the upstreams.
    if (/^[/@*]/.test(a.word)) continue;
    const ref = tokenHost(a.word, a.at, true);
    if (ref) out.push(ref);
  }
  return out;
}
