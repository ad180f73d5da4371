import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../scripts/render/markdown.ts';

const NOTE = '<p class="markdown-too-deep" role="note">This text nests too deeply to be rendered as Markdown; it is shown as written.</p>';

describe('markdown nested deeper than the stack', () => {
  it('is shown as written, escaped, instead of crashing the build', async () => {
    for (const deep of ['>'.repeat(20_000) + ' <script>alert(1)</script>', '<div>'.repeat(20_000) + 'x & y']) {
      const html = await renderMarkdown(`A summary.\n\n${deep}\n`);
      expect(html.startsWith(NOTE)).toBe(true);
      expect(html).not.toContain('<script>');
      expect(html).not.toContain('<div>');
      expect(html).toContain(deep.includes('script') ? '&lt;script&gt;alert(1)' : '&lt;div&gt;x &amp; y');
    }
  }, 60_000);

  it('renders ordinary nesting as markdown', async () => {
    const html = await renderMarkdown('> > > three levels\n');
    expect(html).not.toContain('markdown-too-deep');
    expect(html.match(/<blockquote>/g)).toHaveLength(3);
  });
});
