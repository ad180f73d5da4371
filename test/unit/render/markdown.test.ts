import { describe, expect, it } from 'vitest';
import { renderInlineMarkdown, renderMarkdown } from '../../../scripts/render/markdown.ts';

describe('renderMarkdown', () => {
  it('renders GFM tables, task lists and strikethrough', async () => {
    const html = await renderMarkdown('| a | b |\n| - | - |\n| 1 | 2 |\n\n- [x] done\n- [ ] todo\n\n~~old~~');
    expect(html).toContain('<table>');
    expect(html).toContain('<td>1</td>');
    expect(html).toContain('<input type="checkbox" checked disabled aria-label="done">');
    expect(html).toContain('<input type="checkbox" disabled aria-label="not done">');
    expect(html).toContain('<del>old</del>');
  });

  it('drops script elements and event handler attributes from raw HTML', async () => {
    const html = await renderMarkdown('<script>alert(1)</script>\n\n<img src="x.png" onerror="alert(2)"> <b onclick="alert(3)">bold</b>');
    expect(html).not.toMatch(/script|onerror|onclick|alert/);
    expect(html).toContain('<img src="x.png">');
    expect(html).toContain('<b>bold</b>');
  });

  it('keeps harmless inline HTML such as kbd and details', async () => {
    const html = await renderMarkdown('Press <kbd>j</kbd>.\n\n<details><summary>More</summary>\n\nHidden text\n\n</details>');
    expect(html).toContain('<kbd>j</kbd>');
    expect(html).toContain('<summary>More</summary>');
  });

  it.each(['javascript:alert(1)', 'JaVaScRiPt:alert(1)', 'vbscript:msgbox(1)', 'data:text/html,<script>alert(1)</script>'])(
    'removes the URL of a %s link but keeps its text',
    async (url) => {
      const html = await renderMarkdown(`[click me](${url}) and <a href="${url}">raw</a>`);
      expect(html).toBe('<p><a>click me</a> and <a>raw</a></p>');
    },
  );

  it('keeps http, https, mailto and relative links', async () => {
    const html = await renderMarkdown('[a](https://example.org) [b](http://example.org) [c](mailto:x@example.org) [d](#step-2) [e](../other/)');
    expect(html).toContain('href="https://example.org"');
    expect(html).toContain('href="http://example.org"');
    expect(html).toContain('href="mailto:x@example.org"');
    expect(html).toContain('href="#step-2"');
    expect(html).toContain('href="../other/"');
  });

  it('highlights a fenced code block at build time, colouring tokens by class', async () => {
    const html = await renderMarkdown('```ts\nconst answer = 42;\n```');
    expect(html).toMatch(/^<pre class="code-block" data-language="ts" tabindex="0"><code>/);
    expect(html).toMatch(/<span class=k\w+>const<\/span> <span class=k\w+>answer<\/span>/);
  });

  it('escapes code in a fence of an unknown language and shows it plain', async () => {
    const html = await renderMarkdown('```nosuchlang\n<script>alert(1)</script>\n```');
    expect(html).toBe('<pre class="code-block" data-language="text" tabindex="0"><code>&lt;script&gt;alert(1)&lt;/script&gt;</code></pre>');
  });

  it('cannot be tricked into inserting highlighted code through a forged placeholder', async () => {
    const html = await renderMarkdown('<pre data-review-archive-code="0"></pre>\n\n```js\nx\n```');
    expect(html.match(/class="code-block"/g)).toHaveLength(1);
  });
});

describe('footnotes', () => {
  it('link to their notes and back through the prefixed ids', async () => {
    const html = await renderMarkdown('A claim.[^1]\n\n[^1]: The source.');
    const ids = [...html.matchAll(/id="([^"]+)"/g)].map((m) => m[1]);
    const targets = [...html.matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
    expect(targets.length).toBeGreaterThanOrEqual(2);
    for (const target of targets) expect(ids).toContain(target);
    expect(ids.every((id) => id!.startsWith('user-content-'))).toBe(true);
  });
});

describe('heading levels', () => {
  it('pushes an author\'s headings below the page\'s own, never past h6', async () => {
    const html = await renderMarkdown('# Top\n\n## Second\n\n#### Deep', { headingOffset: 3 });
    expect(html).toBe('<h4>Top</h4>\n<h5>Second</h5>\n<h6>Deep</h6>');
  });

  it('leaves headings alone without an offset', async () => {
    expect(await renderMarkdown('## Two')).toBe('<h2>Two</h2>');
  });
});

describe('renderInlineMarkdown', () => {
  it('renders one paragraph without the wrapping p element', async () => {
    expect(await renderInlineMarkdown('Use `mkSrc` *here*.')).toBe('Use <code>mkSrc</code> <em>here</em>.');
  });

  it('keeps paragraphs when there are several', async () => {
    expect(await renderInlineMarkdown('One.\n\nTwo.')).toBe('<p>One.</p>\n<p>Two.</p>');
  });
});
