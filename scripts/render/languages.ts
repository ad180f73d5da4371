import path from 'node:path';
import { bundledLanguages, createHighlighter, type BundledLanguage, type Highlighter, type ThemedToken } from 'shiki';

/** The one Shiki adapter: languages, themes and tokenizing live here and nowhere else. */

export const THEMES = { light: 'github-light', dark: 'github-dark' } as const;
export const PLAIN = 'text';

/** Lines longer than this are shown plain: tokenizing minified code costs much and reads no better. */
const MAX_TOKENIZED_LINE = 2000;

const FILE_NAMES: Record<string, string> = {
  dockerfile: 'dockerfile',
  makefile: 'makefile',
  gnumakefile: 'makefile',
  justfile: 'just',
  'cmakelists.txt': 'cmake',
  gemfile: 'ruby',
  rakefile: 'ruby',
  'cargo.lock': 'toml',
  'flake.lock': 'json',
  '.gitignore': 'ignore',
  '.dockerignore': 'ignore',
  '.bashrc': 'bash',
  '.zshrc': 'zsh',
  '.env': 'dotenv',
};

const EXTENSIONS: Record<string, string> = {
  mjs: 'javascript',
  cjs: 'javascript',
  mts: 'typescript',
  cts: 'typescript',
  h: 'c',
  hpp: 'cpp',
  cc: 'cpp',
  kts: 'kotlin',
  gradle: 'groovy',
  patch: 'diff',
  lock: 'text',
  txt: 'text',
  svg: 'xml',
  plist: 'xml',
  conf: 'ini',
  cfg: 'ini',
  'd.ts': 'typescript',
};

/** The Shiki language for a file path, from its name or extension; `text` when unknown. */
export function languageForPath(filePath: string): string {
  const base = path.posix.basename(filePath).toLowerCase();
  if (FILE_NAMES[base]) return FILE_NAMES[base];
  if (base.startsWith('dockerfile')) return 'dockerfile';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1) : '';
  if (!ext) return PLAIN;
  const mapped = EXTENSIONS[ext] ?? ext;
  return mapped in bundledLanguages ? mapped : PLAIN;
}

/** Resolves a fenced code block's info string (`ts`, `TypeScript`, `shell`) to a language Shiki knows. */
export function languageForFence(info: string | undefined): string {
  const name = (info ?? '').trim().toLowerCase();
  return name && name in bundledLanguages ? name : PLAIN;
}

let highlighterPromise: Promise<Highlighter> | undefined;
const loadedLanguages = new Map<string, Promise<void>>();

async function highlighterWith(language: string): Promise<Highlighter> {
  highlighterPromise ??= createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [] });
  const highlighter = await highlighterPromise;
  if (language !== PLAIN && !loadedLanguages.has(language)) {
    // Each grammar is loaded once per process, whoever asks first.
    loadedLanguages.set(language, highlighter.loadLanguage(language as BundledLanguage));
  }
  await loadedLanguages.get(language);
  return highlighter;
}

export type Token = Pick<ThemedToken, 'content' | 'htmlStyle'>;

/**
 * Tokenizes consecutive lines of one file as a unit, so constructs spanning lines (block
 * comments, template strings) are coloured as they are in the file. Returns one token list per line.
 */
export async function tokenizeLines(lines: readonly string[], language: string): Promise<Token[][]> {
  if (language === PLAIN || lines.length === 0) return lines.map((text) => [{ content: text }]);
  const highlighter = await highlighterWith(language);
  const result = highlighter.codeToTokens(lines.join('\n'), {
    lang: language as BundledLanguage,
    themes: THEMES,
    defaultColor: false,
    tokenizeMaxLineLength: MAX_TOKENIZED_LINE,
  });
  return result.tokens.map((line) => line.map(({ content, htmlStyle }) => ({ content, htmlStyle })));
}
