import { describe, expect, it } from 'vitest';
import { renderMarkdown } from '../../../scripts/render/markdown.ts';
import { Random } from '../../../scripts/bench/code-gen.ts';

/** The shortcut for plain text must give exactly what the full pipeline gives. */
async function fullPipeline(markdown: string): Promise<string> {
  // A trailing "*" sends the text down the full pipeline; it ends the last paragraph as a literal "*".
  const html = await renderMarkdown(`${markdown}\n\n\\*`);
  return html.replace(/\n?<p>\*<\/p>$/, '');
}

describe('plain comments', () => {
  const pieces = ['word', 'Word', '12', 'é', 'ß', ',', '.', ';', ':', '?', '!', "'", '"', '(', ')', ' ', ' ', ' ', '\n', '\n\n', 'x1'];

  it('render like the full markdown pipeline, on generated text', async () => {
    const random = new Random(15);
    for (let n = 0; n < 300; n++) {
      const text = Array.from({ length: random.int(1, 30) }, () => random.pick(pieces)).join('');
      expect(await renderMarkdown(text), JSON.stringify(text)).toBe(await fullPipeline(text));
    }
  });

  it('leave anything with markdown in it to the pipeline', async () => {
    expect(await renderMarkdown('see www.example.org')).toContain('<a href="http://www.example.org">');
    expect(await renderMarkdown('1. first')).toBe('<ol>\n<li>first</li>\n</ol>');
    expect(await renderMarkdown('    indented')).toContain('<pre');
  });
});
