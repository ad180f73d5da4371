import { describe, expect, it } from 'vitest';
import { parseMarkdownFile } from '../../../scripts/archive/front-matter.ts';
import { parseYamlSource } from '../../../scripts/archive/yaml-source.ts';

const BOMB = [
  'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
].join('\n');

describe('front matter', () => {
  it('splits a file into its parsed front matter and its body, lines counted from the file', () => {
    const file = parseMarkdownFile('---\ntitle: Hello\nintent: Why\n---\nThe body.\n');
    expect(file.problems).toEqual([]);
    expect(file.source.value).toEqual({ title: 'Hello', intent: 'Why' });
    expect(file.source.lineOf(['intent'])).toBe(3);
    expect(file.body).toBe('The body.\n');
  });

  it('reports an unclosed quote with its line and column instead of throwing', () => {
    const file = parseMarkdownFile('---\nid: 7\ntitle: [nix: "unclosed\n---\nbody\n');
    expect(file.problems).toEqual([{ line: 4, column: 1, message: 'YAML syntax error: Missing closing "quote' }]);
    expect(file.source.value).toBeUndefined();
  });

  it('names a duplicate key', () => {
    expect(parseMarkdownFile('---\ntitle: a\nintent: b\ntitle: c\n---\n').problems).toEqual([
      { line: 4, column: 1, message: 'YAML key "title" appears twice in the same mapping; each key may appear once' },
    ]);
  });

  it('reports a missing closing --- line', () => {
    expect(parseMarkdownFile('---\ntitle: a\n\nSome text that was meant as the body.\n').problems).toEqual([
      { line: 1, message: 'front matter is not closed: end it with a line that holds only "---", before the markdown' },
    ]);
  });

  it('refuses custom tags such as !!js/function, which js-yaml would have run', () => {
    expect(parseMarkdownFile('---\ntitle: !!js/function "function () { return 1 }"\n---\n').problems).toEqual([
      { line: 2, column: 8, message: 'YAML tag !!js/function is not allowed: the archive format has plain values only (quote the value if it is text)' },
    ]);
    expect(parseMarkdownFile('---\ntitle: !include /etc/passwd\n---\n').problems[0]!.message).toContain('YAML tag !include is not allowed');
  });

  it('reports an alias bomb at its first alias, without expanding it', () => {
    const started = performance.now();
    expect(parseMarkdownFile(`---\n${BOMB}\n---\n`).problems).toEqual([
      { line: 3, column: 8, message: 'YAML aliases expand to too much data (more than 100 copies of anchored values, as in an alias bomb); write the values out instead' },
    ]);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('accepts CRLF line endings and a byte order mark, with the same values and lines', () => {
    const lf = parseMarkdownFile('---\ntitle: ready\nintent: x\n---\nbody\nmore\n');
    const crlf = parseMarkdownFile('\ufeff---\r\ntitle: ready\r\nintent: x\r\n---\r\nbody\r\nmore\r\n');
    expect(crlf.problems).toEqual([]);
    expect(crlf.source.value).toEqual(lf.source.value);
    expect(crlf.source.lineOf(['intent'])).toBe(3);
    expect(crlf.body).toBe(lf.body);
  });

  it('reports nesting too deep for the parser as one problem', () => {
    expect(parseMarkdownFile(`---\na: ${'['.repeat(50_000)}\n---\n`).problems).toEqual([
      expect.objectContaining({ line: 2, message: 'YAML is nested too deeply to be read' }),
    ]);
  });

  it('keeps a cascade of errors short: one per line, at most five', () => {
    const text = Array.from({ length: 20 }, (_, i) => `k${i}: "open`).join('\n');
    const { errors } = parseYamlSource(text);
    expect(errors.length).toBeLessThanOrEqual(5);
    expect(new Set(errors.map((e) => e.line)).size).toBe(errors.length);
  });
});

describe('YAML files', () => {
  it('report an alias bomb in ci.yaml or archive.yaml the same way', () => {
    expect(parseYamlSource(BOMB).errors).toEqual([
      { line: 2, column: 8, message: 'YAML aliases expand to too much data (more than 100 copies of anchored values, as in an alias bomb); write the values out instead' },
    ]);
  });

  it('keep ordinary anchors and aliases working', () => {
    expect(parseYamlSource('base: &b { name: x }\nother: *b').value).toEqual({ base: { name: 'x' }, other: { name: 'x' } });
  });

  it('accept CRLF and a byte order mark', () => {
    const source = parseYamlSource('\ufeffruns:\r\n  - id: 1\r\n    status: failed\r\n');
    expect(source.value).toEqual({ runs: [{ id: 1, status: 'failed' }] });
    expect(source.lineOf(['runs', 0, 'status'])).toBe(3);
  });
});
