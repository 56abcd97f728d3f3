import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FindingSink, MAX_RELATED } from '../../server/src/engine/diagnostics';

test('a finding keeps at most MAX_RELATED related locations; the last counts the rest', () => {
  const span = { file: '/p/compose.yaml', start: 0, end: 1 };
  const related = Array.from({ length: 50 }, (_, i) => ({ span, message: `r${i}` }));
  const sink = new FindingSink();
  sink.add({ code: 'x', severity: 'warning', message: 'm', span, related });
  sink.replace([...sink.findings, { code: 'y', severity: 'warning', message: 'm', span, related }]);
  for (const f of sink.findings) {
    assert.equal(f.related?.length, MAX_RELATED);
    assert.equal(f.related?.[MAX_RELATED - 2]?.message, `r${MAX_RELATED - 2}`);
    assert.equal(f.related?.at(-1)?.message, `… and ${50 - (MAX_RELATED - 1)} more related locations`);
  }
});
