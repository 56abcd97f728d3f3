/**
 * Bytes of a file to the text the engine reads, and back, without losing a byte: the quick
 * fixes edit texts, and `fix --write` must give back every byte outside an edit as it was.
 *
 * - A UTF-8 BOM is dropped from the text (as editors do, so columns on line 1 match theirs)
 *   and put back on write.
 * - UTF-16 with a BOM (which Docker's YAML reader accepts) is decoded, and encoded back in
 *   the same byte order.
 * - A byte that is not part of valid UTF-8 becomes a lone surrogate U+DC80..U+DCFF (Python's
 *   "surrogateescape"): one code unit per byte, so offsets stay exact, the engine can report
 *   the byte's position (Docker rejects such a file), and writing gives the byte back instead
 *   of U+FFFD.
 */

/** How a file's bytes were turned into text. */
export interface TextEncoding {
  charset: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** The file starts with a byte order mark (always true for UTF-16 here). */
  bom: boolean;
}

/** The text of a file and how to write it back. */
export interface DecodedText {
  text: string;
  encoding: TextEncoding;
}

/** The first code unit of a byte escaped by `decodeBytes`. */
const ESCAPE_BASE = 0xdc00;

/** Decodes a file's bytes; never throws and never loses a byte (see the module comment). */
export function decodeBytes(bytes: Uint8Array): DecodedText {
  const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (b.length >= 2 && b[0] === 0xff && b[1] === 0xfe)
    return { text: utf16(b.subarray(2), 'le'), encoding: { charset: 'utf-16le', bom: true } };
  if (b.length >= 2 && b[0] === 0xfe && b[1] === 0xff)
    return { text: utf16(b.subarray(2), 'be'), encoding: { charset: 'utf-16be', bom: true } };
  const bom = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;
  return { text: utf8(bom ? b.subarray(3) : b), encoding: { charset: 'utf-8', bom } };
}

/** The bytes of `text` in `encoding`: `encodeText(decodeBytes(b).text, decodeBytes(b).encoding)` is `b`. */
export function encodeText(text: string, encoding: TextEncoding): Buffer {
  if (encoding.charset !== 'utf-8') {
    const le = Buffer.from(text, 'utf16le');
    if (encoding.charset === 'utf-16be') le.swap16();
    return Buffer.concat([Buffer.from(encoding.charset === 'utf-16le' ? [0xff, 0xfe] : [0xfe, 0xff]), le]);
  }
  const parts: Buffer[] = encoding.bom ? [Buffer.from([0xef, 0xbb, 0xbf])] : [];
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0xdc80 || c > 0xdcff) continue;
    // A low surrogate after a high one is half of a real character, not an escape.
    const prev = i > 0 ? text.charCodeAt(i - 1) : 0;
    if (prev >= 0xd800 && prev <= 0xdbff) continue;
    parts.push(Buffer.from(text.slice(from, i), 'utf8'), Buffer.from([c - ESCAPE_BASE]));
    from = i + 1;
  }
  parts.push(Buffer.from(text.slice(from), 'utf8'));
  return Buffer.concat(parts);
}

/** The UTF-16 offset of the first byte `decodeBytes` escaped, if any. */
export function firstEscapedByte(text: string): number | undefined {
  // In `u` mode a surrogate pair is one code point, so only a lone surrogate matches.
  const m = /[\udc80-\udcff]/u.exec(text);
  return m ? m.index : undefined;
}

function utf16(b: Buffer, order: 'le' | 'be'): string {
  const even = b.subarray(0, b.length - (b.length % 2));
  const copy = Buffer.from(even);
  if (order === 'be') copy.swap16();
  // An odd last byte cannot be UTF-16; keep it as an escape so it is reported and kept.
  const tail = b.length % 2 === 1 ? String.fromCharCode(ESCAPE_BASE + b[b.length - 1]!) : '';
  return copy.toString('utf16le') + tail;
}

/** UTF-8 with every byte outside a valid sequence escaped. */
function utf8(b: Buffer): string {
  // The common case: valid UTF-8 decodes as usual.
  const fast = b.toString('utf8');
  if (!fast.includes('\ufffd') || Buffer.from(fast, 'utf8').equals(b)) return fast;
  let out = '';
  let from = 0;
  let i = 0;
  while (i < b.length) {
    const n = validSequence(b, i);
    if (n > 0) {
      i += n;
      continue;
    }
    out += b.subarray(from, i).toString('utf8') + String.fromCharCode(ESCAPE_BASE + b[i]!);
    i++;
    from = i;
  }
  return out + b.subarray(from).toString('utf8');
}

/** The length of the valid UTF-8 sequence at `i`, or 0 (RFC 3629: no overlongs, no surrogates). */
function validSequence(b: Buffer, i: number): number {
  const c = b[i]!;
  if (c < 0x80) return 1;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean =>
    i + k < b.length && b[i + k]! >= lo && b[i + k]! <= hi;
  if (c >= 0xc2 && c <= 0xdf) return cont(1) ? 2 : 0;
  if (c >= 0xe0 && c <= 0xef) {
    const lo = c === 0xe0 ? 0xa0 : 0x80;
    const hi = c === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (c >= 0xf0 && c <= 0xf4) {
    const lo = c === 0xf0 ? 0x90 : 0x80;
    const hi = c === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}
