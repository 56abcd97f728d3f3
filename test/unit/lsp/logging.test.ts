/** What the server logs for a failure: one bounded line, the stack only with the debug setting. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { debugFrom, logText } from '../../../server/src/lsp/logging';

describe('logText', () => {
  const error = new Error('bad\nthing\x1b[31m');

  test('one line without the debug setting, with a hint at how to get the trace', () => {
    const text = logText('Analysis failed: bad\nthing\x1b[31m', error, false);
    assert.equal(
      text,
      'Analysis failed: bad thing [31m (set COMPOSE_REACHABILITY_DEBUG=1 for the stack trace)',
    );
  });

  test('the stack after the line with it', () => {
    const [line, ...stack] = logText('Analysis failed', error, true).split('\n');
    assert.equal(line, 'Analysis failed');
    assert.ok(
      stack.some((frame) => frame.includes('logging.test')),
      stack.join('\n'),
    );
  });

  test('bounded, whatever the message quotes', () => {
    assert.ok(logText('x'.repeat(100_000), 'not an Error', false).length <= 500);
  });

  test('the debug setting is COMPOSE_REACHABILITY_DEBUG, set and not empty', () => {
    assert.equal(debugFrom({ COMPOSE_REACHABILITY_DEBUG: '1' }), true);
    assert.equal(debugFrom({ COMPOSE_REACHABILITY_DEBUG: '' }), false);
    assert.equal(debugFrom({}), false);
  });
});
