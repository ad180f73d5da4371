import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import { escapeHtml, tokensToHtml } from './html.ts';
import { languageForFence, tokenizeLines } from './highlighter.ts';

/**
 * Markdown from the archive is untrusted. Raw HTML is parsed and then cut down to GitHub's safe
 * subset by rehype-sanitize (so `<kbd>` survives and `<script>`, `onerror=` and `javascript:` URLs
 * do not); code is highlighted only after sanitizing, since our own highlighted markup is trusted.
 */
const sanitizeSchema = {
  ...defaultSchema,
  attributes: {
    ...defaultSchema.attributes,
    // Keep the fence language so the highlighter can find it.
    code: [...(defaultSchema.attributes?.code ?? []), ['className', /^language-./]],
  },
};

const processor = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(remarkRehype, { allowDangerousHtml: true })
  .use(rehypeRaw)
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeMarkCodeBlocks)
  .use(rehypeStringify);

const HIGHLIGHT_PLACEHOLDER = 'data-review-archive-code';

/** Marks each fenced code block with an index; `renderMarkdown` swaps in the highlighted code. */
function rehypeMarkCodeBlocks() {
  return (tree: Root, file: { data: Record<string, unknown> }) => {
    const blocks: Array<{ code: string; language: string }> = [];
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'pre' || !parent || index === undefined) return;
      const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      if (!code) return;
      const classes = (code.properties.className as string[] | undefined) ?? [];
      const fence = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length);
      blocks.push({ code: toString(code).replace(/\n$/, ''), language: languageForFence(fence) });
      parent.children[index] = { type: 'element', tagName: 'pre', properties: { [HIGHLIGHT_PLACEHOLDER]: String(blocks.length - 1) }, children: [] };
    });
    file.data.codeBlocks = blocks;
  };
}

/** Renders GFM markdown to sanitized HTML with fenced code highlighted in both themes. */
export async function renderMarkdown(markdown: string): Promise<string> {
  const file = await processor.process(markdown);
  const blocks = (file.data as { codeBlocks?: Array<{ code: string; language: string }> }).codeBlocks ?? [];
  const highlighted = await Promise.all(blocks.map((block) => renderCodeBlock(block.code, block.language)));
  return String(file)
    .replace(new RegExp(`<pre ${HIGHLIGHT_PLACEHOLDER}="(\\d+)"></pre>`, 'g'), (_, index: string) => highlighted[Number(index)]!)
    .trim();
}

async function renderCodeBlock(code: string, language: string): Promise<string> {
  const lines = await tokenizeLines(code.split('\n'), language);
  const body = lines.map(tokensToHtml).join('\n');
  return `<pre class="code-block" data-language="${escapeHtml(language)}" tabindex="0"><code>${body}</code></pre>`;
}

/** Renders a one-paragraph markdown string (an intent) without the wrapping `<p>`. */
export async function renderInlineMarkdown(markdown: string): Promise<string> {
  const html = await renderMarkdown(markdown);
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes('<p>') ? single[1]! : html;
}
