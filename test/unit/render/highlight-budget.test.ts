import { describe, expect, it } from 'vitest';
import { fileTimeBudgetMs, highlightFile } from '../../../scripts/render/highlight-file.ts';
import { countSkippedLines, fileNotes, skippedLinesNote } from '../../../scripts/render/file-notes.ts';
import { invisibleCharactersNote, markInvisibleCharacters } from '../../../scripts/render/invisible-characters.ts';
import { HighlightPool } from '../../../scripts/render/highlight-pool.ts';
import { renderMarkdown } from '../../../scripts/render/markdown.ts';
import { MAX_TOKENIZED_LINE } from '../../../scripts/render/tokenizer.ts';

const context = (text: string) => ({ kind: 'context' as const, text });

describe('highlighting budgets', () => {
  it('shows a line longer than the cap plain, marked, and says so above the file', async () => {
    const long = `const x = ${'1 + '.repeat(MAX_TOKENIZED_LINE / 4)}1;`;
    const highlighted = await highlightFile({ language: 'typescript', hunks: [[context('const a = 1;'), context(long)]] });
    expect(highlighted[0]![0]).toContain('<span class=');
    expect(highlighted[0]![1]).toBe(`<span class=hl-long>${long}</span>`);
    expect(countSkippedLines(highlighted)).toEqual({ long: 1, slow: 0 });
    expect(fileNotes(['const a = 1;', long], highlighted)).toEqual(['Shown without highlighting: 1 line is longer than 2,000 characters.']);
  }, 60_000);

  it('shows the rest of a file plain once its time budget is spent', async () => {
    const lines = Array.from({ length: 5 }, (_, i) => context(`let v${i} = ${i};`));
    const highlighted = await highlightFile({ language: 'typescript', hunks: [lines] }, 0);
    expect(countSkippedLines(highlighted)).toEqual({ long: 0, slow: 5 });
    expect(skippedLinesNote({ long: 2, slow: 5 })).toBe("Shown without highlighting: 2 lines are longer than 2,000 characters; 5 lines are too slow for the highlighter's time budget.");
  }, 60_000);

  it('highlights a file again with Oniguruma when the JavaScript regex engine spends its time budget, instead of showing it plain', async () => {
    // The start of cobra #1188's runaway comment (highlight-pool.test.ts): on the JavaScript engine
    // Go's grammar takes seconds on its 40 characters, each one more doubling that; Oniguruma, a millisecond.
    const request = {
      language: 'go',
      engine: 'javascript' as const,
      hunks: [[context('type Command struct {'), context('\t// Use is the one-line usage message.'), context('\t//   { } delimits a set of mutually exc'), context('\tUse string'), context('}')]],
    };
    const highlighted = await highlightFile(request, 1000);
    expect(countSkippedLines(highlighted)).toEqual({ long: 0, slow: 0 });
    expect(highlighted).toEqual(await highlightFile({ ...request, engine: 'oniguruma' }, 1000));
  }, 60_000);

  it('gives big files a budget that grows with them', () => {
    expect(fileTimeBudgetMs(10)).toBe(5010);
    expect(fileTimeBudgetMs(20_000)).toBe(25_000);
  });

  it('does not let a csharp fence of `<a <a <a` in a summary stall rendering: the pool stops the worker', async () => {
    const pool = new HighlightPool(1);
    try {
      const started = performance.now();
      const stuck = '<a '.repeat(600).trimEnd();
      const html = await renderMarkdown(`Intro.\n\n\`\`\`csharp\n${stuck}\n${stuck}\n\`\`\``, { highlight: (request) => pool.highlight(request) });
      // Grammar loading on a busy machine, then at most the file budget (5 s) or the watchdog (10 s of silence).
      expect(performance.now() - started).toBeLessThan(40_000);
      expect(html).toContain(`<p class="code-block-warning" role="note">Shown without highlighting: 2 lines are too slow for the highlighter&#39;s time budget.</p><pre class="code-block" data-language="csharp"`);
    } finally {
      await pool.close();
    }
  }, 60_000);
});

describe('invisible and bidirectional characters', () => {
  it('are replaced by visible labels in highlighted code, evidence and diff lines alike', async () => {
    const text = 'let access = "user\u202e \u2066// admin\u2069\u2066";\u200b';
    const [[html]] = (await highlightFile({ language: 'typescript', hunks: [[context(text)]] })) as [[string]];
    expect(html).not.toMatch(/[\u202a-\u202e\u2066-\u2069\u200b]/);
    expect(html).toContain('<span class=invisible-char>U+202E</span>');
    expect(html).toContain('<span class=invisible-char>U+2066</span>');
    expect(html).toContain('<span class=invisible-char>U+200B</span>');
    const [[plain]] = (await highlightFile({ language: 'text', hunks: [[context('a\u202eb')]] })) as [[string]];
    expect(plain).toBe('a<span class=invisible-char>U+202E</span>b');
  }, 60_000);

  it('put a warning on the file, naming bidirectional controls when there are any', () => {
    expect(invisibleCharactersNote(['plain', 'line'])).toBeUndefined();
    expect(invisibleCharactersNote(['x\u061cy'])).toMatch(/^This file contains bidirectional Unicode characters/);
    expect(invisibleCharactersNote(['zero\u200bwidth'])).toMatch(/^This file contains invisible Unicode characters/);
    // Emoji sequences use the zero-width joiner: it is left alone.
    expect(markInvisibleCharacters('\u{1F469}\u200d\u{1F4BB}')).toBe('\u{1F469}\u200d\u{1F4BB}');
  });

  it('in a code block of a summary are marked, with a warning above the block', async () => {
    const html = await renderMarkdown('```js\nconst isAdmin = false; /* \u202e } \u2066if (isAdmin)\u2069 \u2066 begin admins only */\n```');
    expect(html).toMatch(/^<p class="code-block-warning" role="note">This code block contains bidirectional/);
    expect(html).toContain('<span class=invisible-char>U+202E</span>');
  }, 60_000);
});
