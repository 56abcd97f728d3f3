import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { provideFixes } from '../../../server/src/engine/fixes';
import { codeActions, type CodeActionContext } from '../../../server/src/lsp/codeActions';
import { toDiagnostic } from '../../../server/src/lsp/diagnostics';
import { project, ROOT } from '../../support/fixes';

const FLAT =
  'services:\n  web:\n    image: nginx\n  api:\n    image: myapi\n  database:\n    image: postgres\n';
const FILE = `${ROOT}/compose.yaml`;
const uriOf = (f: string): string => `file://${f}`;

function actionsFor(annotations: boolean): ReturnType<typeof codeActions> {
  const a = project({ 'compose.yaml': FLAT });
  const finding = a.report.diagnostics.find((d) => d.code === 'flat-network')!;
  const ctx: CodeActionContext = {
    file: FILE,
    analysis: {
      report: a.report,
      read: { texts: new Map([[FILE, FLAT]]), versions: new Map(), probed: new Set() },
      settings: {},
    },
    provider: (_r, f, texts) => provideFixes(a, f, texts),
    uriOf,
    error: (m) => assert.fail(m),
    annotations,
  };
  return codeActions(
    {
      textDocument: { uri: uriOf(FILE) },
      range: finding.location.range,
      context: { diagnostics: [toDiagnostic(finding, uriOf)] },
    },
    ctx,
  );
}

describe('code actions', () => {
  test('a fix that removes links asks for confirmation and names them', () => {
    const [action] = actionsFor(true);
    assert.equal(action?.isPreferred, true);
    const edit = action!.edit!;
    assert.equal(edit.changes, undefined);
    assert.deepEqual(edit.changeAnnotations, {
      removesLinks: {
        label: 'Removes a link between services',
        description: 'database ↔ web',
        needsConfirmation: true,
      },
    });
    const [doc] = edit.documentChanges as Array<{ textDocument: { uri: string }; edits: unknown[] }>;
    assert.equal(doc?.textDocument.uri, uriOf(FILE));
    assert.ok(doc!.edits.every((e) => (e as { annotationId?: string }).annotationId === 'removesLinks'));
  });

  test('clients without change annotations get plain changes; the title still names the loss', () => {
    const [action] = actionsFor(false);
    assert.match(action!.title, /; web loses database$/);
    assert.ok(action!.edit!.changes?.[uriOf(FILE)]?.length);
    assert.equal(action!.edit!.documentChanges, undefined);
  });
});
