import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RULES } from '../../shared/src/rules';

test('rule table has the load errors', () => {
  assert.equal(RULES['invalid-yaml']?.defaultSeverity, 'error');
});
