/**
 * Property-based tests for the parts of the pipeline that read untrusted, unbounded input: the
 * patch parser, the evidence resolver, front matter and YAML loading, and the markdown sanitizer.
 * Each property says what must hold for any input: no exception, a bounded time, and (for the
 * sanitizer) no executable construct in the output.
 */
import fc from 'fast-check';
import type { Element } from 'hast';
import { fromHtml } from 'hast-util-from-html';
import { visit } from 'unist-util-visit';
import { stringify } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseMarkdownFile } from '../../scripts/archive/front-matter.ts';
import { parseYamlSource } from '../../scripts/archive/yaml-source.ts';
import { parsePatch } from '../../scripts/diff/parse-patch.ts';
import { resolveEvidence } from '../../scripts/diff/resolve-evidence.ts';
import { renderMarkdown } from '../../scripts/render/markdown.ts';

/** Fails a property whose single run takes longer than `ms`: "never hangs past a bound". */
function withinMs<T>(ms: number, run: () => T): T {
  const started = performance.now();
  const result = run();
  expect(performance.now() - started).toBeLessThan(ms);
  return result;
}

/** Any characters, control and astral ones included. */
const anyText = fc.string({ unit: 'binary', maxLength: 400 });

// ---------- patches ----------

const pathSegment = fc.stringMatching(/^[a-z][a-z0-9_.-]{0,8}$/);
const filePath = fc.array(pathSegment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/'));
const lineText = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => text.replace(/[\r\n]/g, ''));

/** A hunk as a model: its kinds and texts. Its header is derived, so the model is always valid. */
const hunkModel = fc.array(fc.record({ kind: fc.constantFrom('context', 'add', 'del'), text: lineText }), { minLength: 1, maxLength: 12 });
const fileModel = fc.record({ path: filePath, hunks: fc.array(hunkModel, { minLength: 1, maxLength: 3 }) });
const patchModel = fc.uniqueArray(fileModel, { minLength: 1, maxLength: 4, selector: (file) => file.path });

type Model = { path: string; hunks: Array<Array<{ kind: 'context' | 'add' | 'del'; text: string }>> }[];

/** Writes a model as `git diff` would, hunks spaced apart so their ranges never overlap. */
function writePatch(model: Model): string {
  let out = '';
  for (const file of model) {
    out += `diff --git a/${file.path} b/${file.path}\nindex 1111111..2222222 100644\n--- a/${file.path}\n+++ b/${file.path}\n`;
    let oldStart = 1;
    let newStart = 1;
    for (const hunk of file.hunks) {
      const oldLines = hunk.filter((l) => l.kind !== 'add').length;
      const newLines = hunk.filter((l) => l.kind !== 'del').length;
      out += `@@ -${oldStart},${oldLines} +${newStart},${newLines} @@\n`;
      for (const line of hunk) out += `${{ context: ' ', add: '+', del: '-' }[line.kind]}${line.text}\n`;
      oldStart += oldLines + 10;
      newStart += newLines + 10;
    }
  }
  return out;
}

/** Lines that look like a patch's, shuffled into nonsense: the parser's edge cases, not random bytes. */
const patchishLine = fc.oneof(
  fc.constantFrom('diff --git a/x b/x', '--- a/x', '+++ b/x', '--- /dev/null', '+++ /dev/null', 'new file mode 100644', 'deleted file mode 100644', 'rename from a', 'rename to b', 'similarity index 90%', 'Binary files a/x and b/x differ', 'GIT binary patch', 'literal 12', '\\ No newline at end of file', 'index 123..456 100644', 'old mode 100644', 'new mode 100755', ''),
  fc.tuple(fc.nat(99), fc.nat(9), fc.nat(99), fc.nat(9)).map(([a, b, c, d]) => `@@ -${a},${b} +${c},${d} @@ ctx`),
  fc.tuple(fc.constantFrom(' ', '+', '-', ''), lineText).map(([prefix, text]) => prefix + text),
  anyText,
);

describe('the patch parser, for any input', () => {
  it('never throws and answers within a bound, on random text and on shuffled patch lines', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, fc.tuple(fc.array(patchishLine, { maxLength: 60 }), fc.constantFrom('\n', '\r\n')).map(([lines, end]) => lines.join(end))), (text) => {
        const result = withinMs(2000, () => parsePatch(text));
        if (!result.ok) for (const problem of result.problems) expect(problem.line).toBeGreaterThanOrEqual(1);
      }),
      { numRuns: 400 },
    );
  }, 60_000);

  it('reads back every file, hunk and line of a patch written from a model', () => {
    fc.assert(
      fc.property(patchModel, (model) => {
        const result = parsePatch(writePatch(model));
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.patch.files.map((f) => f.newPath)).toEqual(model.map((f) => f.path));
        result.patch.files.forEach((file, i) => {
          expect(file.hunks.map((h) => h.lines.map(({ kind, text }) => ({ kind, text })))).toEqual(model[i]!.hunks);
          expect(file.additions).toBe(model[i]!.hunks.flat().filter((l) => l.kind === 'add').length);
        });
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

// ---------- evidence ----------

describe('the evidence resolver, for any selector', () => {
  const selector = (paths: string[]) =>
    fc.record({
      file: fc.oneof(fc.constantFrom(...paths), filePath, anyText),
      which: fc.oneof(
        fc.tuple(fc.nat(200), fc.nat(20), fc.nat(200), fc.nat(20)).map(([a, b, c, d]) => ({ hunk: `@@ -${a},${b} +${c},${d} @@` })),
        fc.tuple(fc.integer({ min: 1, max: 200 }), fc.nat(30)).map(([start, length]) => ({ lines: length ? `${start}-${start + length}` : start })),
        fc.integer({ min: 1, max: 400 }).map((line) => ({ lines: String(line) })),
      ),
    });

  it('never throws; what it finds lies in the named file, and a line range only covers its lines', () => {
    fc.assert(
      fc.property(patchModel.chain((model) => fc.tuple(fc.constant(model), fc.array(selector(model.map((f) => f.path)), { minLength: 1, maxLength: 8 }))), ([model, selectors]) => {
        const parsed = parsePatch(writePatch(model));
        if (!parsed.ok) throw new Error('a model patch must parse');
        for (const { file, which } of selectors) {
          const result = withinMs(2000, () => resolveEvidence(parsed.patch, { file, ...which } as Parameters<typeof resolveEvidence>[1]));
          if (!result.ok) {
            expect(result.message.length).toBeGreaterThan(0);
            continue;
          }
          expect([result.file.newPath, result.file.oldPath]).toContain(file);
          expect(result.file.hunks[result.hunkIndex]).toBe(result.hunk);
          if ('lines' in which) {
            const [first, last = first] = String(which.lines).split('-').map(Number) as [number, number?];
            const numbered = result.lines.filter((line) => line.newLine !== undefined).map((line) => line.newLine!);
            expect(numbered[0]).toBe(first);
            expect(numbered.at(-1)).toBe(last);
          }
        }
      }),
      { numRuns: 300 },
    );
  }, 60_000);

  it('always finds a hunk by the header the patch gives it', () => {
    fc.assert(
      fc.property(patchModel, (model) => {
        const parsed = parsePatch(writePatch(model));
        if (!parsed.ok) throw new Error('a model patch must parse');
        for (const file of parsed.patch.files) {
          file.hunks.forEach((hunk, index) => {
            const result = resolveEvidence(parsed.patch, { file: file.newPath!, hunk: hunk.header });
            expect(result.ok && result.hunkIndex).toBe(index);
          });
        }
      }),
      { numRuns: 200 },
    );
  }, 60_000);
});

// ---------- YAML and front matter ----------

/** YAML-ish fragments: indentation, flow collections, anchors, aliases, tags, quotes, documents. */
const yamlishLine = fc.oneof(
  fc.constantFrom('---', '...', '- ', '  - ', 'key: value', 'key:', '  nested: 1', '[', ']', '{', '}', '&a [1, 2]', '*a', '<<: *a', '!!js/function "f"', '!!binary aGk=', '!tag x', '"unclosed', "'unclosed", '? complex', '%YAML 1.1', '#comment', '|', '>-', '\t'),
  fc.tuple(fc.stringMatching(/^[a-z]{1,5}$/), anyText).map(([key, value]) => `${key}: ${value}`),
  anyText,
);
const yamlish = fc.array(yamlishLine, { maxLength: 30 }).map((lines) => lines.join('\n'));

describe('YAML and front matter loading, for any text', () => {
  it('never throws and answers within a bound; a broken file has a value of undefined and at least one error with a line', () => {
    fc.assert(
      fc.property(fc.oneof(anyText, yamlish), fc.boolean(), (text, asFrontMatter) => {
        if (asFrontMatter) {
          const file = withinMs(3000, () => parseMarkdownFile(`---\n${text}\n---\nbody`));
          for (const problem of file.problems) expect(problem.line).toBeGreaterThanOrEqual(1);
        } else {
          const source = withinMs(3000, () => parseYamlSource(text));
          if (source.errors.length) expect(source.value).toBeUndefined();
          for (const error of source.errors) expect(error.line).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 500 },
    );
  }, 60_000);

  it('reads back any mapping of strings, numbers and lists, whatever the line endings and byte order mark', () => {
    const value = fc.dictionary(
      fc.stringMatching(/^[a-z_][a-z0-9_]{0,10}$/),
      fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.boolean(), fc.array(fc.string({ maxLength: 10 }), { maxLength: 4 })),
      { maxKeys: 8 },
    );
    fc.assert(
      fc.property(value, fc.boolean(), fc.boolean(), fc.string({ maxLength: 60 }), (data, crlf, bom, body) => {
        // A text value holding a lone \r is changed by CRLF normalisation, as YAML itself would read it.
        fc.pre(!JSON.stringify(data).includes('\\r'));
        const cleanBody = body.replace(/\r/g, '');
        let text = `---\n${Object.keys(data).length ? stringify(data) : ''}---\n${cleanBody}`;
        if (crlf) text = text.replaceAll('\n', '\r\n');
        if (bom) text = `\ufeff${text}`;
        const file = parseMarkdownFile(text);
        expect(file.problems).toEqual([]);
        expect(file.source.value ?? {}).toEqual(data);
        expect(file.body).toBe(cleanBody);
      }),
      { numRuns: 300 },
    );
  }, 60_000);
});

// ---------- markdown ----------

/** What a hostile author writes: HTML that runs script, URLs with unsafe schemes, and markdown around them. */
const hostileFragment = fc.oneof(
  fc.constantFrom(
    '<script>alert(1)</script>',
    '<img src=x onerror=alert(1)>',
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href="&#106;avascript:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '[x](javascript:alert(1))',
    '[x](  javascript:alert(1)  )',
    '![x](javascript:alert(1))',
    '<svg onload=alert(1)>',
    '<iframe src="https://evil.example"></iframe>',
    '<style>body{display:none}</style>',
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<object data="x.swf"></object>',
    '<embed src="x">',
    '<form action="https://evil.example"><input></form>',
    '<base href="https://evil.example/">',
    '<meta http-equiv="refresh" content="0;url=https://evil.example">',
    '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
    '<details open ontoggle=alert(1)>',
    '<a href="data:text/html,<script>alert(1)</script>">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>">',
    '<!-- <script>alert(1)</script> -->',
    '<![CDATA[<script>alert(1)</script>]]>',
    '```html\n<script>alert(1)</script>\n```',
    '`<script>`',
    '<kbd>Ctrl</kbd>',
    '> quote <b onclick=alert(1)>b</b>',
    '| a | <img src=x onerror=alert(1)> |\n|---|---|\n| 1 | 2 |',
    '[^1]\n\n[^1]: <script>alert(1)</script>',
  ),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
);
const hostileMarkdown = fc.array(hostileFragment, { minLength: 1, maxLength: 6 }).chain((parts) => fc.constantFrom(' ', '\n', '\n\n', '').map((sep) => parts.join(sep)));

/**
 * Executable constructs, found the way a browser reads the HTML (parsed, not by pattern): elements
 * that run or load code, event-handler and style attributes, and unsafe URL schemes in links.
 */
function executableConstructs(html: string): string[] {
  const found: string[] = [];
  const tree = fromHtml(html, { fragment: true });
  visit(tree, 'element', (node: Element) => {
    if (/^(script|iframe|object|embed|style|form|base|meta|svg|math|noscript|link)$/.test(node.tagName)) found.push(`<${node.tagName}>`);
    for (const [name, value] of Object.entries(node.properties)) {
      if (/^on/i.test(name)) found.push(`${name} handler`);
      if (name === 'style') found.push('style attribute');
      if (/^(href|src|action|formAction|srcSet|poster|data)$/.test(name)) {
        const url = String(value).replace(/[\s\u0000-\u001f]/g, '');
        if (/^(javascript|vbscript|data):/i.test(url)) found.push(`URL ${url}`);
      }
    }
  });
  return found;
}

describe('the markdown sanitizer, for any markdown', () => {
  it('never outputs an executable construct, never throws', async () => {
    await fc.assert(
      fc.asyncProperty(hostileMarkdown, async (markdown) => {
        const html = await renderMarkdown(markdown);
        expect(executableConstructs(html)).toEqual([]);
      }),
      { numRuns: 150 },
    );
  }, 120_000);

  it('finds the constructs it is looking for (the check itself can fail)', () => {
    expect(executableConstructs('<a href="javascript:alert(1)">')).toEqual(['URL javascript:alert(1)']);
    expect(executableConstructs('<img src=x onerror=alert(1)>')).toEqual(['onError handler']);
    expect(executableConstructs('<p title="<img src=x onerror=alert(1)>">text</p>')).toEqual([]);
    expect(executableConstructs('<p>fine <a href="https://example.org">x</a></p>')).toEqual([]);
  });
});
