/**
 * The server keeps serving: an engine that throws costs one project one analysis, and each
 * way of starting the server (CLI over stdio, the VS Code entry over stdio or IPC) ends
 * cleanly on shutdown + exit.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { MessageType } from 'vscode-languageserver/node';
import { dedent } from '../support/dedent';
import { removeProject, session, startClient, writeProject, type Entry } from './client';
import { INJECTED_FAILURE } from './hookedServer';

const UNDEFINED_NETWORK = dedent`
  services:
    web:
      image: nginx
      networks:
        - frontend
`;

describe('an engine exception', () => {
  test('is one logged error and no diagnostics for that project; the server keeps serving', async (t) => {
    const marker = 'x-test-throw';
    const { client, at } = await session(
      t,
      {
        'a/compose.yaml': `# ${marker}\n${UNDEFINED_NETWORK}`,
        'b/compose.yaml': UNDEFINED_NETWORK,
      },
      { entry: { kind: 'hooked', hooks: { throwMarker: marker, debounceMs: 0 } } },
    );
    const a = at('a/compose.yaml');
    const b = at('b/compose.yaml');
    await client.open(a);
    assert.deepEqual((await client.diagnostics(a, { version: 1 })).diagnostics, []);
    const errors = client.logs().filter((l) => l.type === MessageType.Error);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    assert.ok(
      errors[0]!.message.includes(a) && errors[0]!.message.includes(INJECTED_FAILURE),
      errors[0]!.message,
    );
    // One line: no stack trace (the server's own paths) without the debug setting.
    assert.doesNotMatch(errors[0]!.message, /\n|hookedServer|\bat /, errors[0]!.message);

    await client.open(b);
    const other = await client.diagnostics(b, { version: 1 });
    assert.ok(other.diagnostics.some((d) => d.code === 'undefined-network'));

    const v2 = await client.change(a, UNDEFINED_NETWORK);
    const recovered = await client.diagnostics(a, { version: v2 });
    assert.ok(recovered.diagnostics.some((d) => d.code === 'undefined-network'));
    assert.ok(client.alive);
  });

  test('with the debug setting, the stack trace follows the line', async (t) => {
    const marker = 'x-test-throw';
    const { client, at } = await session(
      t,
      { 'compose.yaml': `# ${marker}\n${UNDEFINED_NETWORK}` },
      { entry: { kind: 'hooked', hooks: { throwMarker: marker, debounceMs: 0, debug: true } } },
    );
    const file = at('compose.yaml');
    await client.open(file);
    await client.diagnostics(file, { version: 1 });
    const errors = client.logs().filter((l) => l.type === MessageType.Error);
    assert.equal(errors.length, 1, JSON.stringify(errors));
    const [line, ...stack] = errors[0]!.message.split('\n');
    assert.ok(line!.includes(INJECTED_FAILURE), line);
    assert.ok(
      stack.some((frame) => frame.includes('hookedServer')),
      errors[0]!.message,
    );
  });
});

describe('transports', () => {
  const entries: Array<[string, Entry]> = [
    ['compose-reachability lsp --stdio', { kind: 'cli' }],
    ['dist entry with --stdio', { kind: 'main', transport: 'stdio' }],
    ['dist entry with --node-ipc (VS Code)', { kind: 'main', transport: 'ipc' }],
  ];
  for (const [name, entry] of entries) {
    test(`${name}: initialize, diagnostics, shutdown + exit with code 0`, async () => {
      const root = writeProject({ 'compose.yaml': UNDEFINED_NETWORK });
      try {
        const client = await startClient(root, { entry });
        const file = `${root}/compose.yaml`;
        await client.open(file);
        const published = await client.diagnostics(file, { version: 1 });
        assert.ok(published.diagnostics.some((d) => d.code === 'undefined-network'));
        assert.equal(await client.stop(), 0);
      } finally {
        removeProject(root);
      }
    });
  }
});
