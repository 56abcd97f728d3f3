import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import {
  applyEdits,
  applyToTexts,
  findOverlap,
  OverlappingEditsError,
  sortEdits,
  type TextEdit,
} from '../../../server/src/engine/fixes/edits';

const e = (start: number, end: number, newText: string, file = '/f'): TextEdit => ({
  file,
  start,
  end,
  newText,
});

describe('text edits', () => {
  test('apply replacements, insertions and deletions by offset, whatever their order', () => {
    assert.equal(applyEdits('abcdef', [e(4, 5, 'E'), e(0, 0, '>'), e(1, 3, '')]), '>adEf');
  });

  test('insertions at one offset keep the order they were given in', () => {
    assert.equal(applyEdits('ab', [e(1, 1, 'x'), e(1, 1, 'y'), e(1, 1, 'z')]), 'axyzb');
  });

  test('an insertion at the start of a replaced span goes before the replacement', () => {
    assert.equal(applyEdits('abc', [e(1, 2, 'B'), e(1, 1, '+')]), 'a+Bc');
    assert.deepEqual(
      sortEdits([e(1, 2, 'B'), e(1, 1, '+')]).map((x) => x.newText),
      ['+', 'B'],
    );
  });

  test('edits that touch only at their ends do not overlap', () => {
    assert.equal(findOverlap([e(0, 2, 'x'), e(2, 4, 'y'), e(4, 4, 'z')]), undefined);
    assert.equal(applyEdits('abcd', [e(0, 2, 'x'), e(2, 4, 'y'), e(4, 4, 'z')]), 'xyz');
  });

  test('overlapping edits are refused, never merged', () => {
    assert.ok(findOverlap([e(0, 3, 'x'), e(2, 4, 'y')]));
    assert.ok(findOverlap([e(0, 3, 'x'), e(1, 1, 'y')]));
    assert.throws(() => applyEdits('abcd', [e(0, 3, 'x'), e(2, 4, 'y')]), OverlappingEditsError);
  });

  test('the same offsets in two files are independent', () => {
    assert.equal(findOverlap([e(0, 3, 'x', '/a'), e(1, 2, 'y', '/b')]), undefined);
    const out = applyToTexts(
      new Map([
        ['/a', 'aaaa'],
        ['/b', 'bbbb'],
        ['/c', 'cccc'],
      ]),
      [e(0, 3, 'x', '/a'), e(1, 2, 'y', '/b')],
    );
    assert.deepEqual(
      [...out],
      [
        ['/a', 'xa'],
        ['/b', 'bybb'],
      ],
    );
  });

  test('an edit past the end of the text is an error', () => {
    assert.throws(() => applyEdits('ab', [e(1, 5, '')]), RangeError);
  });
});
