/** Traefik's file provider in TOML: `url = "http://x:80"`, TCP `address = "x:80"`. */
import { tokenHost, type EvidenceRef } from './refs';
import { blankComments } from './text';

/** Host references in a Traefik TOML dynamic configuration, offsets in `text`. */
export function traefikTomlHosts(text: string): EvidenceRef[] {
  const clean = blankComments(text);
  const out: EvidenceRef[] = [];
  for (const m of clean.matchAll(/(^|[\s{,])(url|address)\s*=\s*(["'])([^"'\n]*)\3/g)) {
    const value = m[4] ?? '';
    const at = m.index + m[0].length - 1 - value.length;
    const ref = tokenHost(value, at, false);
    if (ref) out.push(ref);
  }
  return out;
}
