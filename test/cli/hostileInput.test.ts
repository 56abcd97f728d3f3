/**
 * Files Docker rejects get an error with a position here, files it accepts get none, names
 * never reach the terminal or a Markdown comment raw, and `fix --write` keeps every byte
 * outside its edit whatever the encoding.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main, type CliIO } from '../../server/src/cli/main';
import { decodeBytes, encodeText } from '../../server/src/host/encoding';
import { FindingSink, MAX_MESSAGE_CHARS } from '../../server/src/engine/diagnostics';

/** Three tiers on the default network: the split fix inserts lines and edits none. */
const FLAT = [
  'services:',
  '  web:',
  '    image: nginx',
  '    ports: ["80:80"]',
  '  api:',
  '    image: myapi',
  '  database:',
  '    image: postgres',
  '',
];

async function inDir(
  bytes: Buffer,
  argv: string[],
): Promise<{ code: number; stdout: string; stderr: string; after: Buffer }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hostile-'));
  try {
    fs.writeFileSync(path.join(dir, 'compose.yaml'), bytes);
    const out = { code: -1, stdout: '', stderr: '' };
    const io: CliIO = {
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
      cwd: dir,
      env: {},
      isTTY: false,
    };
    out.code = await main(argv, io);
    const after = fs.readFileSync(path.join(dir, 'compose.yaml'));
    assert.deepEqual(fs.readdirSync(dir), ['compose.yaml'], 'a temporary file was left');
    return { ...out, after };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Every line of `before` (bytes, split after `eol`) is in `after`, whole and in order: the
 * fix only inserted. Compared as Latin-1, one character per byte, so no decoding hides a change.
 */
function assertBytesKept(before: Buffer, after: Buffer, eol: string): void {
  const split = (b: Buffer): string[] => b.toString('latin1').split(new RegExp(`(?<=${eol})`));
  const lines = split(after);
  let j = 0;
  for (const l of split(before)) {
    while (j < lines.length && lines[j] !== l) j++;
    assert.ok(j < lines.length, `line lost or changed: ${JSON.stringify(l)}`);
    j++;
  }
}

describe('encoding: bytes to text and back', () => {
  test('every byte comes back: BOM, UTF-16 both orders, invalid UTF-8, a real U+FFFD', () => {
    const samples = [
      Buffer.from('\ufeffa: 1\n', 'utf8'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: é\n', 'utf16le')]),
      Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('a: é\n', 'utf16le').swap16()]),
      Buffer.from([0x23, 0xe9, 0xff, 0xc0, 0x80, 0xed, 0xa0, 0x80, 0x0a, 0x61]),
      Buffer.from('# \ufffd 😀\n', 'utf8'),
    ];
    for (const b of samples) {
      const d = decodeBytes(b);
      assert.deepEqual(encodeText(d.text, d.encoding), b, b.toString('hex'));
    }
    assert.equal(decodeBytes(samples[0]!).text, 'a: 1\n');
    assert.equal(decodeBytes(samples[3]!).text.length, 10, 'one code unit per invalid byte');
  });
});

describe('input Docker rejects or accepts', () => {
  test('invalid UTF-8 and NUL: an error at the byte; UTF-16 with a BOM: no false error', async () => {
    const bad = await inDir(
      Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from('\n' + FLAT.join('\n'))]),
      ['check'],
    );
    assert.equal(bad.code, 1);
    assert.match(bad.stdout, /^compose\.yaml:1:6 error invalid-yaml Byte 0xe9 is not valid UTF-8/m);
    const nul = await inDir(Buffer.from('services:\n  web:\n    image: ng\0inx\n'), ['check']);
    assert.match(
      nul.stdout,
      /^compose\.yaml:3:14 error invalid-yaml Control character \\x00 is not allowed/m,
    );
    const utf16 = await inDir(
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FLAT.join('\n'), 'utf16le')]),
      ['check'],
    );
    assert.doesNotMatch(utf16.stdout, /error/);
    assert.match(utf16.stdout, /^compose\.yaml:2:3 warning public-reaches-data/m);
  });

  test('a service name with control characters or Markdown is an error, printed escaped', async () => {
    const text = 'services:\n  "we\\e[2Jb![x](http://e/x.png)<img src=x>":\n    image: nginx\n';
    const plain = await inDir(Buffer.from(text), ['check']);
    assert.equal(plain.code, 1);
    assert.match(plain.stdout, /^compose\.yaml:2:3 error invalid-compose service name "we\\x1b\[2Jb!\[x\]/m);
    assert.ok(!plain.stdout.includes('\x1b'), 'a raw ESC reached the output');
    const md = await inDir(Buffer.from(text), ['check', '--format', 'markdown']);
    assert.ok(!md.stdout.includes('\x1b'));
    assert.doesNotMatch(md.stdout, /!\[x\]\(|(?<!\\)<img/);
    assert.match(md.stdout, /!\\\[x\\\]\(http:\/\/e\/x\.png\)\\<img src=x\\>/);
  });

  test('matrix names such a service escaped, in text and in Markdown', async () => {
    const text =
      'services:\n  "web\\e[31m![x](http://e/x.png)":\n    image: nginx\n  db:\n    image: postgres\n';
    const plain = await inDir(Buffer.from(text), ['matrix']);
    assert.ok(!plain.stdout.includes('\x1b'), 'a raw ESC reached the output');
    assert.match(plain.stdout, /^public {2}1 web\\x1b\[31m!\[x\]\(http:\/\/e\/x\.png\) {2}-/m);
    const md = await inDir(Buffer.from(text), ['matrix', '--format', 'markdown']);
    assert.ok(!md.stdout.includes('\x1b'));
    assert.doesNotMatch(md.stdout, /(?<!\\)!\[x\]\(/);
    assert.match(md.stdout, /\| \*\*web\\\\x1b\\\[31m!\\\[x\\\]\(http:\/\/e\/x\.png\)\*\* \(public\) \|/);
  });

  test("fix's summary names such a service escaped: titles and links removed", async () => {
    const text =
      'services:\n  "web\\e[31m":\n    image: nginx\n  api:\n    image: acme/api\n  db:\n    image: postgres\n';
    const r = await inDir(Buffer.from(text), ['fix', '--dry-run']);
    assert.ok(!r.stderr.includes('\x1b'), 'a raw ESC reached the output');
    assert.match(r.stderr, /; web\\x1b\[31m loses db\n {2}links removed: db ↔ web\\x1b\[31m\n/);
  });
});

describe('bounded output', () => {
  test('a 200 KB binary file gives a few findings and says how many were left out', async () => {
    const bytes = Buffer.alloc(200_000);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) {
      x = (x * 1103515245 + 12345) >>> 0;
      bytes[i] = x >>> 24;
    }
    const r = await inDir(bytes, ['check']);
    assert.equal(r.code, 1);
    assert.ok(r.stdout.length < 20_000, `${r.stdout.length} characters of output`);
    assert.match(r.stdout, /error invalid-yaml \d+ more YAML errors left out\./);
  });

  test('a message is cut at MAX_MESSAGE_CHARS, saying how much was left out', () => {
    const sink = new FindingSink();
    sink.error('x', 'a'.repeat(MAX_MESSAGE_CHARS + 5), { file: 'f', start: 0, end: 0 });
    assert.equal(sink.findings[0]!.message, `${'a'.repeat(MAX_MESSAGE_CHARS)}… (5 more characters)`);
  });
});

describe('fix --write keeps every byte outside its edit', () => {
  const cases: Array<[string, Buffer, string]> = [
    ['a UTF-8 BOM', Buffer.from('\ufeff' + FLAT.join('\n')), '\n'],
    ['CRLF', Buffer.from(FLAT.join('\r\n')), '\n'],
    [
      'invalid UTF-8 in a comment',
      Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9, 0x0a]), Buffer.from(FLAT.join('\n'))]),
      '\n',
    ],
    [
      'UTF-16 with a BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(FLAT.join('\n'), 'utf16le')]),
      '\n\0',
    ],
  ];
  for (const [name, before, eol] of cases) {
    test(name, async () => {
      const r = await inDir(before, ['fix', '--write', '--only', 'public-reaches-data']);
      assert.match(r.stdout, /^Applied 1 fix in 1 file/, r.stderr);
      assert.ok(r.after.length > before.length);
      assertBytesKept(before, r.after, eol);
      // The new lines are in the file's encoding and line ending.
      const d = decodeBytes(r.after);
      assert.deepEqual(d.encoding, decodeBytes(before).encoding);
      assert.match(d.text, /\n {4}networks: \[backend\]\r?\n/);
      if (name === 'CRLF') assert.doesNotMatch(d.text, /[^\r]\n/);
    });
  }
});
