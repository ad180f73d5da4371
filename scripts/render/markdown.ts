import type { Element, Root } from 'hast';
import { toString } from 'hast-util-to-string';
import rehypeRaw from 'rehype-raw';
import rehypeSanitize, { defaultSchema, type Options as SanitizeSchema } from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import { unified } from 'unified';
import { visit } from 'unist-util-visit';
import type { VFile } from 'vfile';
import { escapeHtml } from './html.ts';
import { languageForFence } from './languages.ts';
import { highlightFile, type HighlightedFile, type HighlightRequest } from './highlight-file.ts';
import { countSkippedLines, skippedLinesNote } from './file-notes.ts';
import { invisibleCharactersNote } from './invisible-characters.ts';

/**
 * Markdown from the archive is untrusted. Raw HTML is parsed and then cut down to GitHub's safe
 * subset by rehype-sanitize (so `<kbd>` survives and `<script>`, `onerror=` and `javascript:` URLs
 * do not); code is highlighted only after sanitizing, since our own highlighted markup is trusted.
 */
const sanitizeSchema: SanitizeSchema = {
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
  // Footnote ids get their `user-content-` prefix from rehype-sanitize alone (see rehypeFitIntoPage).
  .use(remarkRehype, { allowDangerousHtml: true, clobberPrefix: '' })
  .use(rehypeRaw)
  .use(rehypeSanitize, sanitizeSchema)
  .use(rehypeFitIntoPage)
  .use(rehypeMarkCodeBlocks)
  .use(rehypeStringify);

export interface MarkdownOptions {
  /**
   * How many levels to push headings down, so an author's `#` fits under the page's own
   * headings (the page has one h1, the branch name; a step explanation sits under an h3).
   */
  headingOffset?: number;
  /**
   * How fenced code gets highlighted: the build passes its cached, pooled highlighter, so code that
   * did not change is never tokenized again; by default it is tokenized here.
   */
  highlight?: (request: HighlightRequest) => Promise<HighlightedFile>;
  /**
   * How a ```suggestion block of a review comment is shown (a small diff of the commented lines
   * against it, see scripts/discussion/render-discussion.ts); without it, it is plain code.
   */
  suggestion?: (code: string) => Promise<string>;
}

declare module 'vfile' {
  interface DataMap {
    headingOffset: number;
    codeBlocks: Array<{ code: string; language: string; fence?: string }>;
  }
}

const CLOBBER_PREFIX = 'user-content-';

/**
 * Fits sanitized markdown into the page: shifts headings below the page's own, names task-list
 * checkboxes for screen readers, and points in-document links (footnotes) at the ids as
 * rehype-sanitize prefixed them, so an author's ids can never clash with the page's.
 */
function rehypeFitIntoPage() {
  return (tree: Root, file: VFile) => {
    const offset = file.data.headingOffset ?? 0;
    const ids = new Set<string>();
    visit(tree, 'element', (node: Element) => {
      if (typeof node.properties.id === 'string') ids.add(node.properties.id);
    });
    visit(tree, 'element', (node: Element) => {
      const href = node.properties.href;
      if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#') && ids.has(`${CLOBBER_PREFIX}${href.slice(1)}`)) {
        node.properties.href = `#${CLOBBER_PREFIX}${href.slice(1)}`;
      }
      const level = /^h([1-6])$/.exec(node.tagName)?.[1];
      if (level && offset) node.tagName = `h${Math.min(6, Number(level) + offset)}`;
      if (node.tagName === 'input' && node.properties.type === 'checkbox') {
        node.properties.ariaLabel = node.properties.checked ? 'done' : 'not done';
      }
    });
  };
}

const HIGHLIGHT_PLACEHOLDER = 'data-review-archive-code';

/** Marks each fenced code block with an index; `renderMarkdown` swaps in the highlighted code. */
function rehypeMarkCodeBlocks() {
  return (tree: Root, file: VFile) => {
    const blocks: Array<{ code: string; language: string; fence?: string }> = [];
    visit(tree, 'element', (node: Element, index, parent) => {
      if (node.tagName !== 'pre' || !parent || index === undefined) return;
      const code = node.children.find((child): child is Element => child.type === 'element' && child.tagName === 'code');
      if (!code) return;
      const classes = (code.properties.className as string[] | undefined) ?? [];
      const fence = classes.find((c) => c.startsWith('language-'))?.slice('language-'.length);
      blocks.push({ code: toString(code).replace(/\n$/, ''), language: languageForFence(fence), fence });
      parent.children[index] = { type: 'element', tagName: 'pre', properties: { [HIGHLIGHT_PLACEHOLDER]: String(blocks.length - 1) }, children: [] };
    });
    file.data.codeBlocks = blocks;
  };
}

/**
 * Text in which markdown can find nothing to do: letters, digits, spaces and plain punctuation,
 * no line that starts or ends with a space, no `www.` (a GFM autolink). Most review comments are
 * like this, and a branch may have thousands; they skip the unified pipeline, with the same output
 * (test/unit/render/markdown-plain.test.ts compares the two).
 */
const PLAIN_TEXT = /^[\p{L}\p{N},.;:?!'"() \n]*$/u;

function plainParagraphs(markdown: string): string | undefined {
  if (!PLAIN_TEXT.test(markdown) || /www\./i.test(markdown)) return undefined;
  // Blank lines around the text mean nothing (YAML block scalars end in one); spaces might.
  const paragraphs = markdown.replace(/^\n+|\n+$/g, '').split(/\n{2,}/);
  // Every line trimmed and not an ordered list item (`1.`, `2)`).
  for (const paragraph of paragraphs) for (const line of paragraph.split('\n')) if (!/^\S(.*\S)?$/u.test(line) || /^\d+[.)]/.test(line)) return undefined;
  return paragraphs.map((paragraph) => `<p>${paragraph}</p>`).join('\n');
}

/** Renders GFM markdown to sanitized HTML with fenced code highlighted in both themes. */
export async function renderMarkdown(markdown: string, options: MarkdownOptions = {}): Promise<string> {
  const plain = plainParagraphs(markdown);
  if (plain !== undefined) return plain;
  let file: VFile;
  try {
    file = await processor.process({ value: markdown, data: { headingOffset: options.headingOffset ?? 0 } });
  } catch (error) {
    // The parsers and tree walkers recurse once per level of nesting: thousands of `>` or of
    // `<div>` exhaust the stack. Such text is shown as written, escaped, never half-rendered.
    if (error instanceof RangeError) return tooDeepToRender(markdown);
    throw error;
  }
  const blocks = file.data.codeBlocks ?? [];
  const highlight = options.highlight ?? highlightFile;
  const { suggestion } = options;
  const highlighted = await Promise.all(
    blocks.map((block) => (suggestion && block.fence === 'suggestion' ? suggestion(block.code) : renderCodeBlock(block.code, block.language, highlight))),
  );
  return String(file)
    .replace(new RegExp(`<pre ${HIGHLIGHT_PLACEHOLDER}="(\\d+)"></pre>`, 'g'), (_, index: string) => highlighted[Number(index)]!)
    .trim();
}

function tooDeepToRender(markdown: string): string {
  return `<p class="markdown-too-deep" role="note">This text nests too deeply to be rendered as Markdown; it is shown as written.</p><pre class="markdown-source" tabindex="0">${escapeHtml(markdown)}</pre>`;
}

/** A code block is highlighted like one hunk of context lines: continuous code, no marks. */
async function renderCodeBlock(code: string, language: string, highlight: NonNullable<MarkdownOptions['highlight']>): Promise<string> {
  const [lines = []] = await highlight({ language, hunks: [code.split('\n').map((text) => ({ kind: 'context' as const, text }))] });
  const body = lines.join('\n');
  const notes = [invisibleCharactersNote([code], 'code block'), skippedLinesNote(countSkippedLines([lines]))].filter(Boolean);
  const warning = notes.length ? `<p class="code-block-warning" role="note">${notes.map((note) => escapeHtml(note!)).join(' ')}</p>` : '';
  return `${warning}<pre class="code-block" data-language="${escapeHtml(language)}" tabindex="0"><code>${body}</code></pre>`;
}

/** Renders a one-paragraph markdown string (an intent) without the wrapping `<p>`. */
export async function renderInlineMarkdown(markdown: string, options: MarkdownOptions = {}): Promise<string> {
  const html = await renderMarkdown(markdown, options);
  const single = /^<p>([\s\S]*)<\/p>$/.exec(html);
  return single && !single[1]!.includes('<p>') ? single[1]! : html;
}
