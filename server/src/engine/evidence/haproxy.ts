/** HAProxy: the address of `server NAME ADDRESS[:PORT] ...` lines (the name is only a label). */
import { tokenHost, type EvidenceRef } from './refs';
import { blankComments, directiveArgs } from './text';

/** Host references in an HAProxy configuration, offsets in `text`. */
export function haproxyHosts(text: string): EvidenceRef[] {
  const clean = blankComments(text);
  const out: EvidenceRef[] = [];
  for (const a of directiveArgs(clean, /(^|\n)[ \t]*server[ \t]+/g)) {
    if (a.index !== 1) continue;
    const ref = tokenHost(a.word, a.at, true);
    if (ref) out.push(ref);
  }
  return out;
}
