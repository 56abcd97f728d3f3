/**
 * When the analyzer analyses: a keystroke at once, changes in a burst (closer together than
 * anyone types) after a quiet time that follows the analysis cost. The clock is the test's:
 * each analysis "takes" COST on it, so the waits are known without timing anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { analyze } from '../../../server/src/engine/index';
import { Analyzer } from '../../../server/src/lsp/analyzer';
import { OpenDocuments } from '../../../server/src/lsp/documents';
import { memoryHost } from '../../support/memoryHost';

const COST = 4_000;
const DEBOUNCE = 60_000;
const TEXT = 'services:\n  web:\n    image: nginx\n';

/** Resolves once the timers due before a 5 ms one (and their promise work) have run. */
const afterShortTimers = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

test('a keystroke is analysed at once; changes in a burst wait for quiet', async () => {
  let clock = 0;
  const host = memoryHost({ 'compose.yaml': TEXT });
  const uri = URI.file('/project/compose.yaml').toString();
  const open = new OpenDocuments();
  const published: number[] = [];
  const analyzer = new Analyzer(open, {
    analyze: (options, h, settings) => {
      clock += COST;
      return analyze(options, h, settings);
    },
    host,
    settings: () => Promise.resolve({}),
    debounceMs: DEBOUNCE,
    now: () => clock,
    output: {
      publishDiagnostics: (p) => {
        if (p.uri === uri && p.version !== undefined) published.push(p.version);
      },
      reportChanged: () => undefined,
      error: (message) => assert.fail(message),
    },
  });
  const edit = (version: number): void =>
    analyzer.changed(TextDocument.create(uri, 'dockercompose', version, `${TEXT}# ${version}\n`));

  try {
    edit(1);
    await afterShortTimers();
    assert.deepEqual(published, [1], 'opened: analysed at once');

    // Two changes 10 ms apart: a burst. The first would be analysed at once, but the second
    // comes before that and both wait COST / 4 (1 s) for quiet.
    clock += 10;
    edit(2);
    clock += 10;
    edit(3);
    await afterShortTimers();
    assert.deepEqual(published, [1], 'within a burst: waiting for quiet');
    await analyzer.settle();
    assert.deepEqual(published, [1, 3]);

    // A keystroke a tenth of a second later: at once again, however long the last analysis took.
    clock += 100;
    edit(4);
    await afterShortTimers();
    assert.deepEqual(published, [1, 3, 4], 'a keystroke after the burst: analysed at once');
  } finally {
    analyzer.dispose();
  }
});
