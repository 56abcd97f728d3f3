/**
 * The server's parse cache holds what open documents and their projects use, no more: opening
 * and closing many files returns it to its size before them (a long session grew by 76 MB
 * over 100 files when nothing was ever dropped).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyzeProject, ParseCache } from '../../../server/src/engine/index';
import { Analyzer } from '../../../server/src/lsp/analyzer';
import { OpenDocuments } from '../../../server/src/lsp/documents';
import { memoryHost } from '../../support/memoryHost';

const MAIN = 'services:\n  web:\n    image: nginx\n    networks: [front]\nnetworks:\n  front:\n';
const OVERRIDE = 'services:\n  web:\n    environment:\n      A: "1"\n';
const COUNT = 100;

test('open and close many documents: the parse cache returns to its baseline', async () => {
  const files: Record<string, string> = {
    'keep/compose.yaml': MAIN,
    'keep/compose.override.yaml': OVERRIDE,
  };
  for (let i = 0; i < COUNT; i++) {
    files[`p${i}/compose.yaml`] = MAIN.replace('nginx', `nginx:${i}`);
    files[`p${i}/compose.override.yaml`] = OVERRIDE;
  }
  const host = memoryHost(files);
  const parses = new ParseCache();
  const open = new OpenDocuments();
  const analyzer = new Analyzer(open, {
    analyze: (options, h, settings) => analyzeProject(options, h, settings, parses).report,
    host,
    settings: () => Promise.resolve({}),
    debounceMs: 0,
    release: (inUse) => parses.retain((file) => inUse.has(file)),
    output: {
      publishDiagnostics: () => undefined,
      reportChanged: () => undefined,
      error: (message) => assert.fail(message),
    },
  });
  const doc = (name: string): TextDocument =>
    TextDocument.create(URI.file(`/project/${name}`).toString(), 'dockercompose', 1, files[name]!);

  try {
    // A project that stays open, with its override opened and closed: that file is still read.
    analyzer.changed(doc('keep/compose.yaml'));
    await analyzer.settle();
    const baseline = parses.size;
    assert.equal(baseline, 2, 'the main file and its override');
    const override = doc('keep/compose.override.yaml');
    analyzer.changed(override);
    await analyzer.settle();
    analyzer.closed(override);
    await analyzer.settle();
    assert.equal(parses.size, baseline, 'a closed file its project still reads keeps its parse');

    for (let i = 0; i < COUNT; i++) {
      const d = doc(`p${i}/compose.yaml`);
      analyzer.changed(d);
      await analyzer.settle();
      analyzer.closed(d);
      await analyzer.settle();
    }
    assert.equal(analyzer.projects.size, 1);
    assert.equal(parses.size, baseline, 'every closed project dropped its files');

    // What is left is still used: the kept project's next analysis reuses both parses.
    const reused = parses.stats.reused;
    analyzer.changed(doc('keep/compose.yaml'));
    await analyzer.settle();
    assert.equal(parses.stats.reused, reused + 2);
  } finally {
    analyzer.dispose();
  }
});
