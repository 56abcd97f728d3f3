import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { provideFixes } from '../../../server/src/engine/fixes';
import { project, ROOT } from '../../support/fixes';

const FLAT =
  'services:\n  web:\n    image: nginx\n  api:\n    image: myapi\n  database:\n    image: postgres\n';
const FILE = `${ROOT}/compose.yaml`;

describe('fix provider for the language server', () => {
  test('actions with LSP ranges, for a finding of a report the engine made', () => {
    const a = project({ 'compose.yaml': FLAT });
    const finding = a.report.diagnostics.find((d) => d.code === 'flat-network')!;
    const actions = provideFixes(a, finding, new Map([[FILE, FLAT]]));
    assert.equal(actions.length, 1);
    assert.equal(
      actions[0]!.title,
      'Split default: database to internal network data with the app tier; web loses database',
    );
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[0]!.edits[0], {
      file: FILE,
      range: { start: { line: 3, character: 0 }, end: { line: 3, character: 0 } },
      newText: '    networks:\n      - backend\n',
    });
    // The last insertion is at the end of the file, one line past the last.
    assert.deepEqual(actions[0]!.edits.at(-1)!.range.start, { line: 7, character: 0 });
  });

  test('texts given as a record work the same', () => {
    const a = project({ 'compose.yaml': FLAT });
    const finding = a.report.diagnostics[0]!;
    assert.equal(provideFixes(a, finding, { [FILE]: FLAT }).length, 1);
  });

  test('nothing when the file changed since the analysis', () => {
    const a = project({ 'compose.yaml': FLAT });
    const finding = a.report.diagnostics[0]!;
    assert.deepEqual(provideFixes(a, finding, new Map([[FILE, FLAT + '# edited\n']])), []);
  });
});
