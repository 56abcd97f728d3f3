import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { main, type CliIO } from '../../server/src/cli/main';
import { analyze } from '../../server/src/engine/index';
import { toDiagnostic } from '../../server/src/lsp/diagnostics';
import { networkSummary, serviceSummary } from '../../server/src/lsp/hover';
import { dedent } from '../support/dedent';
import { memoryHost } from '../support/memoryHost';

/**
 * A hostile project whose every secret holds the canary: malformed `.env` lines, values
 * interpolated into places where they are invalid, `${X:?...}` errors. Whatever the format,
 * the canary must never be printed.
 */
const CANARY = 'CANARY';

export const FILES = {
  '.env': dedent`
    API_TOKEN!=CANARY_bang
    QUOTED="CANARY_unterminated
    BAD=CANARY_brace\${
    LONE=CANARY_dollar$ x
    TOKEN=CANARY_token
    IMG=canary-registry.example/app:1
  `,
  'compose.yaml': dedent`
    services:
      web:
        image: \${IMG}
        container_name: \${NAME}
        ports: ["\${GITHUB_TOKEN}:80", "\${TOKEN}", "\${SPLIT}"]
        networks: [front, "\${NET}"]
        environment:
          X: \${REQ:?\${TOKEN}}
      db:
        image: postgres
        depends_on: ["\${TOKEN}"]
        env_file: [app.env]
    networks:
      front:
        name: \${NAME}_front
  `,
  'app.env': 'A!=CANARY_envfile\nB="CANARY_envfile_quote\n',
};

export const ENV = {
  GITHUB_TOKEN: 'CANARY_github',
  NET: 'CANARY_network',
  NAME: 'canary_name',
  SPLIT: '1.2.3.4:CANARY_split:80',
};

async function runCli(argv: string[]): Promise<string> {
  let out = '';
  const io: CliIO = {
    stdout: { write: (s: string) => (out += s) },
    stderr: { write: (s: string) => (out += s) },
    cwd: '/project',
    env: ENV,
    isTTY: false,
  };
  await main(argv, io, { createHost: (env) => memoryHost(FILES, env as Record<string, string>) });
  return out;
}

function assertNoCanary(output: string, what: string): void {
  const at = output.toUpperCase().indexOf(CANARY);
  assert.equal(at, -1, `${what} prints a secret: …${output.slice(Math.max(0, at - 120), at + 60)}…`);
}

describe('values from env files and the environment are never printed', () => {
  for (const format of ['text', 'json', 'sarif', 'markdown']) {
    test(`check --format ${format}`, async () => {
      const out = await runCli(['check', '--format', format]);
      assert.match(out, /GITHUB_TOKEN/, 'the messages name the variable');
      assertNoCanary(out, format);
    });
  }

  for (const format of ['text', 'json', 'markdown']) {
    test(`matrix --format ${format}`, async () =>
      assertNoCanary(await runCli(['matrix', '--format', format]), format));
  }

  test('the language server: diagnostics and hovers', () => {
    const host = memoryHost(FILES, ENV);
    const report = analyze({ files: [], workingDirectory: '/project' }, host);
    assert.ok(report.diagnostics.length >= 8, report.diagnostics.map((d) => d.message).join('\n'));
    assertNoCanary(
      JSON.stringify(report.diagnostics.map((f) => toDiagnostic(f, (f) => `file://${f}`))),
      'diagnostics',
    );
    const hovers = [
      ...report.services.map((s) => serviceSummary(report, s)),
      ...report.networks.map(networkSummary),
    ];
    assertNoCanary(hovers.join('\n'), 'hovers');
  });

  test('each malformed .env line is reported at its place, by what is wrong', () => {
    const report = analyze({ files: [], workingDirectory: '/project' }, memoryHost(FILES, ENV));
    const envIssues = report.diagnostics
      .filter((d) => d.location.file === '/project/.env')
      .map((d) => `${d.location.range.start.line}: ${d.message}`);
    assert.deepEqual(envIssues, [
      '0: unexpected character in variable name',
      '1: unterminated quoted value',
      '2: invalid interpolation format',
      '3: invalid interpolation format: write "$$" for a literal "$"',
    ]);
  });

  test('an interpolated port names the variable, as written', async () => {
    const report = analyze({ files: [], workingDirectory: '/project' }, memoryHost(FILES, ENV));
    const messages = report.diagnostics.map((d) => d.message);
    assert.ok(
      messages.includes(
        'service web: Invalid port "${GITHUB_TOKEN}:80": not a valid port mapping once interpolated (the value is not shown)',
      ),
      messages.join('\n'),
    );
    assert.ok(messages.includes('required variable REQ is missing a value: ${TOKEN}'), messages.join('\n'));
  });

  test('--show-values shows interpolated values in the report, and only there', async () => {
    const masked = JSON.parse(await runCli(['check', '--format', 'json']));
    const web = masked.services.find((s: { name: string }) => s.name === 'web');
    assert.equal(web.image, '${IMG}');
    assert.equal(web.containerName, '${NAME}');
    const shown = JSON.parse(await runCli(['check', '--format', 'json', '--show-values']));
    const web2 = shown.services.find((s: { name: string }) => s.name === 'web');
    assert.equal(web2.image, 'canary-registry.example/app:1');
    assert.equal(web2.containerName, 'canary_name');
    assertNoCanary(JSON.stringify(shown.diagnostics), 'diagnostics with --show-values');
  });
});
