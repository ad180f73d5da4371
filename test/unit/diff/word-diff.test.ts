import { describe, expect, it } from 'vitest';
import { compareLines, wordChanges } from '../../../scripts/diff/word-diff.ts';
import type { DiffLine } from '../../../scripts/diff/types.ts';

const del = (text: string): DiffLine => ({ kind: 'del', text });
const add = (text: string): DiffLine => ({ kind: 'add', text });
const ctx = (text: string): DiffLine => ({ kind: 'context', text });

describe('compareLines', () => {
  it('marks only the words that changed', () => {
    expect(compareLines('return `Hello, ${name}`;', 'return `Bonjour, ${name}`;')).toEqual({ removed: [[8, 13]], added: [[8, 15]] });
  });

  it('gives no marks when the lines have too little in common to be one edited line', () => {
    expect(compareLines('const a = compute(x);', 'import fs from "node:fs";')).toBeUndefined();
  });

  it('gives no marks for identical or very long lines', () => {
    expect(compareLines('same', 'same')).toBeUndefined();
    expect(compareLines('x'.repeat(2000), `${'x'.repeat(1999)}y`)).toBeUndefined();
  });
});

describe('wordChanges', () => {
  it('pairs the n-th deleted line with the n-th added line of a change block', () => {
    const lines = [ctx('a'), del('let x = 1;'), del('let y = 2;'), add('let x = 10;'), add('let y = 20;'), add('let z = 3;'), ctx('b')];
    const marks = wordChanges(lines);
    expect([...marks.keys()].sort()).toEqual([1, 2, 3, 4]);
    expect(marks.get(1)).toEqual([[8, 9]]);
    expect(marks.get(3)).toEqual([[8, 10]]);
  });

  it('does not pair lines across context', () => {
    expect(wordChanges([del('let x = 1;'), ctx('keep'), add('let x = 2;')]).size).toBe(0);
  });
});
