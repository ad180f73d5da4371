import { INITIAL } from '@shikijs/vscode-textmate';
import { createHighlighter, type BundledLanguage } from 'shiki';
import { describe, expect, it } from 'vitest';
import { languageLoad, languageWithLazyEmbeds, loadWithLazyEmbeds, THEMES, tokenizerFor } from '../../../scripts/render/tokenizer.ts';

/** A README with fences in several of the languages Markdown embeds lazily. */
const README = ['# Setup', '', '```bash', 'npm install --save ky', '```', '', '```ts', 'const json = await ky.get("x").json<{ a: number }>();', '```', '', '```rust', 'fn main() { println!("{}", 1); }', '```', '', '<kbd>Ctrl</kbd> then `code`'].join('\n');

/**
 * Every token of the README with its scopes, line by line, as the Markdown grammar gives them: what
 * our tokenizer colours from (it resolves scopes to colours itself, scripts/render/tokenizer.ts).
 */
function scopes(highlighter: Awaited<ReturnType<typeof createHighlighter>>): string[][] {
  const grammar = highlighter.getLanguage('markdown');
  let state = INITIAL;
  return README.split('\n').map((line) => {
    const result = grammar.tokenizeLine(line, state);
    state = result.ruleStack;
    return result.tokens.map((token) => `${line.slice(token.startIndex, token.endIndex)}|${token.scopes.join(' ')}`);
  });
}

describe('loading a grammar with the languages it embeds lazily', () => {
  it('reads a README into the same scopes as loading Markdown and all its embeds in one call does', async () => {
    const oneByOne = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [] });
    await loadWithLazyEmbeds(oneByOne, 'markdown');
    const allAtOnce = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [] });
    await allAtOnce.loadLanguage(...((await languageWithLazyEmbeds('markdown')) as BundledLanguage[]));
    const expected = scopes(allAtOnce);
    // The fences' code is read by its own grammar (not one plain run), so the comparison has something to compare.
    expect(expected[7]!.some((token) => token.includes('storage.type.ts'))).toBe(true);
    expect(expected[3]!.some((token) => token.includes('entity.name.command.shell'))).toBe(true);
    expect(scopes(oneByOne)).toEqual(expected);
  }, 120_000);

  it('loads Markdown with its 57 embedded languages in a fraction of the CPU time a single call took', async () => {
    const highlighter = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [] });
    // The grammars' modules are imported first, so only the loading is timed, not the import.
    await languageWithLazyEmbeds('markdown');
    const before = process.threadCpuUsage();
    await loadWithLazyEmbeds(highlighter, 'markdown');
    const cpu = process.threadCpuUsage(before);
    // Thread CPU time, not wall time: a busy machine does not move it much. Measured 0.2 s here
    // (0.6-0.9 s in a fresh process); the single call took 2.8 s here, 4 s in a fresh process.
    expect((cpu.user + cpu.system) / 1e6).toBeLessThan(1.5);
  }, 120_000);
});

describe('languages whose grammars inject into others', () => {
  // Nix's module injects the colouring of ```nix fences into Markdown, Vue's `{{ }}` into Markdown.
  const fence = (info: string) => ['Before:', '', `\`\`\`${info}`, '{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { buildInputs = [ pkgs.hello ]; }', '```', '', 'After {{ value }}.'];
  const markdownHtml = async (lines: string[]) => {
    const tokenizer = (await tokenizerFor('markdown'))!;
    let state = tokenizer.initialState();
    return lines.map((line) => {
      const result = tokenizer.line(line, state);
      state = result.state;
      return result.html;
    });
  };

  it('are found from their grammars, and Markdown, TypeScript and Rust are not among them', async () => {
    expect((await languageLoad('nix')).injects).toBe(true);
    expect((await languageLoad('vue')).injects).toBe(true);
    expect((await languageLoad('ts-tags')).injects).toBe(true);
    for (const language of ['markdown', 'typescript', 'rust']) expect((await languageLoad(language)).injects).toBe(false);
  });

  it('leave Markdown coloured the same whether or not Nix and Vue were highlighted first in the same thread', async () => {
    // This file's thread loads Nix and Vue before its first Markdown: in a shared highlighter their
    // injections would colour the fence's code and the braces, which a thread that had not met
    // a .nix or .vue file leaves plain.
    await tokenizerFor('nix');
    await tokenizerFor('vue');
    const html = await markdownHtml(fence('nix'));
    // A fence of a language nothing injects for reads the same, line for line.
    expect(html.slice(3)).toEqual((await markdownHtml(fence('no-such-language'))).slice(3));
    expect(html[6]).not.toMatch(/\{\{<\/span>|<span[^>]*>\{\{/);
    // Nix itself is still coloured, in its own highlighter.
    const nix = (await tokenizerFor('nix'))!;
    expect(nix.line('{ pkgs ? import <nixpkgs> {} }: pkgs.mkShell { }', nix.initialState()).html).toContain('<span');
  }, 120_000);
});
