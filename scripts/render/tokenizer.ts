import { createHash } from 'node:crypto';
import { INITIAL, Theme, type IGrammar, type IRawTheme, type StateStack } from '@shikijs/vscode-textmate';
import { bundledLanguages, bundledLanguagesInfo, createHighlighter, createJavaScriptRegexEngine, type BundledLanguage, type Highlighter } from 'shiki';
import { GrammarStateIds } from './grammar-state-ids.ts';
import { escapeHtml } from './html.ts';
import { markInvisibleCharacters } from './invisible-characters.ts';

/**
 * Highlighting is the hot path of a build, so this module tokenizes each line ONCE and colours the
 * tokens for both themes from their scopes. Shiki's dual-theme API tokenizes the text once per theme
 * and then aligns the results; the colours are the same, at half the grammar work.
 *
 * Colours become short class names derived from the colours themselves (stable across builds and
 * cache entries); `tokenClassCss` gives the stylesheet for the classes a build used.
 */

// The high-contrast light theme and GitHub's default dark theme keep every token at WCAG AA
// contrast (4.5:1) on our diff backgrounds; the classic github-light/dark themes do not.
export const THEMES = { light: 'github-light-high-contrast', dark: 'github-dark-default' } as const;
export const PLAIN = 'text';

/** Lines longer than this are shown plain: tokenizing minified code costs much and reads no better. */
export const MAX_TOKENIZED_LINE = 2000;

/**
 * Milliseconds of grammar work one line may take. Some grammars backtrack without end on a few
 * characters (C#, Apex and MDC take seconds on 300 characters of `<a <a <a`); vscode-textmate stops
 * between regex scans once this is spent, and the line is shown plain. Ordinary lines take well
 * under a millisecond, but the first lines a grammar reads also compile its regexes (seconds of
 * wall time on a busy machine), so the limit starts after WARM_UP_LINES, and a line cut short is
 * tried once more before it is given up. A single scan can still outrun the limit; the file budget
 * (highlight-file.ts) and the worker pool's watchdog (highlight-pool.ts) bound that case.
 */
export const LINE_TIME_LIMIT_MS = 1000;
const WARM_UP_LINES = 20;

/** Bumped whenever the HTML this module produces changes, so cached highlighting is not reused. */
export const TOKENIZER_VERSION = 'tokens-v5';

/**
 * Classes of a line shown plain on purpose, too long or too slow to highlight; the page counts
 * them to say so above the file (they have no colour of their own). Too slow depends on the
 * machine, so such a result is never cached (highlight-service.ts).
 */
export const SKIPPED_CLASSES = { long: 'hl-long', slow: 'hl-slow' } as const;
export type SkipReason = keyof typeof SKIPPED_CLASSES;

/** A line shown plain on purpose, marked so the page can say why. */
export function skippedLine(text: string, reason: SkipReason, marks?: Marks): string {
  return `<span class=${SKIPPED_CLASSES[reason]}>${plainLine(text, marks)}</span>`;
}

interface ThemeStyle {
  foreground: string;
  /** vscode-textmate FontStyle bits: 1 italic, 2 bold, 4 underline, 8 strikethrough. */
  fontStyle: number;
}

/** One stylesheet class: its name and the colours it stands for. */
export interface TokenClass {
  name: string;
  light: ThemeStyle;
  dark: ThemeStyle;
}

export interface Tokenizer {
  /** Starts a new sequence of lines (a file, a hunk side, a code block). */
  initialState(): StateStack;
  /**
   * HTML for one line, continuing from `state`; returns the state after the line.
   * `marks` are [start, end) character ranges to wrap in `<mark>` (changed words).
   */
  line(text: string, state: StateStack, marks?: Marks): { html: string; state: StateStack };
  /** True when two states would tokenize the next line identically. */
  sameState(a: StateStack, b: StateStack): boolean;
}

class ThemeResolver {
  private readonly theme: Theme;
  private readonly colors: string[];
  readonly defaults: ThemeStyle;

  constructor(raw: { fg: string; bg: string; settings?: IRawTheme['settings'] }) {
    this.theme = Theme.createFromRawTheme({ settings: [{ settings: { foreground: raw.fg, background: raw.bg } }, ...(raw.settings ?? [])] });
    this.colors = this.theme.getColorMap();
    const defaults = this.theme.getDefaults();
    this.defaults = { foreground: this.colors[defaults.foregroundId]!, fontStyle: 0 };
  }

  /** The style of a token whose scopes are `scopes` (outermost first), as vscode-textmate computes it. */
  resolve(scopes: readonly string[]): ThemeStyle {
    let foreground = this.defaults.foreground;
    let fontStyle = 0;
    let path: { parent: unknown; scopeName: string } | null = null;
    for (const scopeName of scopes) {
      path = { parent: path, scopeName };
      const match = this.theme.match(path as Parameters<Theme['match']>[0]);
      if (!match) continue;
      if (match.fontStyle !== -1) fontStyle = match.fontStyle;
      if (match.foregroundId !== 0) foreground = this.colors[match.foregroundId]!;
    }
    return { foreground, fontStyle };
  }
}

function className(light: ThemeStyle, dark: ThemeStyle): string {
  const hash = createHash('sha1').update(`${light.foreground}${light.fontStyle}${dark.foreground}${dark.fontStyle}`).digest('base64url');
  // A letter first (a class name may not start with a digit); 4 more base64 characters keep
  // collisions out of reach for a theme's few hundred colour pairs.
  return `k${hash.replace(/[-_]/g, '').slice(0, 4)}`;
}

const sameStyle = (a: ThemeStyle, b: ThemeStyle) => a.foreground === b.foreground && a.fontStyle === b.fontStyle;

/** The regular expression engine a grammar's patterns run on. */
export type RegexEngine = 'oniguruma' | 'javascript';

/**
 * Languages whose grammars run on Shiki's JavaScript regular expression engine (V8's own regexes,
 * translated from Oniguruma's syntax) instead of Oniguruma compiled to WebAssembly. Each is here
 * because, over every file of three real histories' diffs (pika: 409,000 lines of Rust, 43,000 of
 * Swift, 32,000 of Kotlin), it gave byte-identical HTML in 0.60 to 0.70 of Oniguruma's time. The
 * others stay on Oniguruma: TypeScript, JavaScript, JSON, YAML and TOML were no faster, Markdown,
 * HTML and shell slower, shell coloured `esac` differently, and Go's grammar runs for ever on a
 * comment in a struct (cobra #1188). Nix (0.81) stays too: its module also injects the colouring of
 * ```nix fences into Markdown, which then depends on Nix being loaded in Oniguruma's highlighter
 * (one of two pika builds lost the colours of a README's nix fence with Nix moved). A JavaScript
 * regex cannot be stopped inside one scan, so a file it is stuck on is highlighted again with
 * Oniguruma (highlight-file.ts, highlight-pool.ts). A language added here must inject into no other.
 */
const JAVASCRIPT_ENGINE_GRAMMARS = ['rust', 'swift', 'kotlin'];

/** The same languages under every name Shiki knows them by (`rs`, `kt`, `kts`). */
export const JAVASCRIPT_ENGINE_LANGUAGES: ReadonlySet<string> = new Set(
  bundledLanguagesInfo.filter((info) => JAVASCRIPT_ENGINE_GRAMMARS.includes(info.id)).flatMap((info) => [info.id, ...(info.aliases ?? [])]),
);

/** The engine a language is tokenized with: by the language alone, so a file is coloured the same way in every build. */
export function engineFor(language: string): RegexEngine {
  return JAVASCRIPT_ENGINE_LANGUAGES.has(language) ? 'javascript' : 'oniguruma';
}

const highlighters = new Map<string, Promise<Highlighter>>();
const tokenizers = new Map<string, Promise<Tokenizer | undefined>>();
/** Every class handed out in this process, for the stylesheet. */
const usedClasses = new Map<string, TokenClass>();

/**
 * The highlighter a language's grammar loads into: one per engine, shared by most languages, or one
 * of its own for a language whose grammars inject into others (`ownHighlighter`).
 */
function highlighterFor(engine: RegexEngine, ownHighlighter: string | undefined): Promise<Highlighter> {
  const key = ownHighlighter === undefined ? engine : `${engine}\0${ownHighlighter}`;
  let highlighter = highlighters.get(key);
  if (!highlighter) {
    const options = { themes: [THEMES.light, THEMES.dark], langs: [] };
    highlighter = createHighlighter(engine === 'javascript' ? { ...options, engine: createJavaScriptRegexEngine() } : options);
    highlighters.set(key, highlighter);
  }
  return highlighter;
}

/**
 * The tokenizer for a language on an engine (by default the language's own, `engineFor`); grammars
 * load once per process (per worker) and engine. Undefined for plain text.
 */
export function tokenizerFor(language: string, engine: RegexEngine = engineFor(language)): Promise<Tokenizer | undefined> {
  const key = `${engine}\0${language}`;
  let tokenizer = tokenizers.get(key);
  if (!tokenizer) {
    // A grammar that fails to load must not fail the build: the file is shown as plain text.
    tokenizer = language === PLAIN ? Promise.resolve(undefined) : createTokenizer(language, engine).catch(() => undefined);
    tokenizers.set(key, tokenizer);
  }
  return tokenizer;
}

/**
 * A language and every language its grammar embeds only when that one happens to be loaded too
 * (Shiki's `embeddedLangsLazy`: Markdown's fenced code in 57 languages, Vue's and Svelte's blocks),
 * and theirs in turn. Without them, a README's ```bash fence was coloured or plain depending on
 * whether its worker had highlighted a shell script earlier in the build: the same archive gave
 * different pages. Loading them costs about 2 s of CPU once per worker, and only for those languages.
 */
export async function languageWithLazyEmbeds(language: string): Promise<string[]> {
  return (await languageLoad(language)).languages;
}

/**
 * What loading a language brings: its languages in load order (languageWithLazyEmbeds), and whether
 * any of their grammars injects into other grammars (Shiki's `injectTo`: Nix colours Markdown's
 * ```nix fences, Vue Markdown's `{{ }}`, ts-tags and lit TypeScript's tagged templates, Angular
 * HTML). An injection applies to every grammar of the highlighter it is loaded into, so in a shared
 * one a README's colours would depend on whether its worker had met a .nix or .vue file earlier.
 */
export async function languageLoad(language: string): Promise<{ languages: string[]; injects: boolean }> {
  const found = new Set<string>();
  const ordered: string[] = [];
  let injects = false;
  const visit = async (name: string): Promise<void> => {
    const load = bundledLanguages[name as BundledLanguage];
    if (found.has(name) || !load) return;
    found.add(name);
    for (const registration of (await load()).default) {
      if (registration.injectTo?.length) injects = true;
      for (const embedded of registration.embeddedLangsLazy ?? []) await visit(embedded);
    }
    ordered.push(name);
  };
  await visit(language);
  return { languages: ordered.length ? ordered : [language], injects };
}

/**
 * Loads each language after the languages it embeds lazily, one at a time. Shiki reloads a loaded
 * language whenever one of its lazy embeds arrives, and a reload walks every grammar it reaches:
 * loading Markdown with its 57 embeds in one call reloaded Markdown 57 times, about 4 s of CPU
 * per highlighting worker. Loaded embeds first, Markdown is loaded once, with the same result.
 */
export async function loadWithLazyEmbeds(highlighter: Highlighter, language: string): Promise<void> {
  for (const name of await languageWithLazyEmbeds(language)) await highlighter.loadLanguage(name as BundledLanguage);
}

async function createTokenizer(language: string, engine: RegexEngine): Promise<Tokenizer> {
  // A language that injects gets a highlighter of its own, where its injections reach only its own
  // grammars; the shared one never holds an injection, so what a language's tokens are depends on
  // the language alone, not on what its thread loaded before.
  const { injects } = await languageLoad(language);
  const highlighter = await highlighterFor(engine, injects ? language : undefined);
  await loadWithLazyEmbeds(highlighter, language);
  const grammar: IGrammar = highlighter.getLanguage(language);
  const light = new ThemeResolver(highlighter.getTheme(THEMES.light));
  const dark = new ThemeResolver(highlighter.getTheme(THEMES.dark));
  // Scope stacks repeat endlessly; their class is computed once.
  const classByScopes = new Map<string, string | null>();

  function classFor(scopes: string[]): string | null {
    const key = scopes.join(' ');
    let name = classByScopes.get(key);
    if (name === undefined) {
      const l = light.resolve(scopes);
      const d = dark.resolve(scopes);
      name = sameStyle(l, light.defaults) && sameStyle(d, dark.defaults) ? null : className(l, d);
      if (name && !usedClasses.has(name)) usedClasses.set(name, { name, light: l, dark: d });
      classByScopes.set(key, name);
    }
    return name;
  }

  // A line's tokens depend only on its text and the state it starts in; diffs repeat both
  // endlessly (closing braces, blank lines, imports, the same hunk in branch after branch), so
  // each line's result is kept and reused. Only memory, never the output, depends on what is kept.
  const stateIds = new GrammarStateIds();
  const known = new Map<number, Map<string, KnownLine>>();
  let knownLines = 0;
  let linesRead = 0;
  return {
    initialState: () => INITIAL,
    sameState: (a, b) => a === b || a.equals(b),
    line(text, state, marks) {
      if (text.length > MAX_TOKENIZED_LINE) return { html: skippedLine(text, 'long', marks), state };
      const stateId = stateIds.idOf(state);
      const seen = stateId === undefined ? undefined : known.get(stateId)?.get(text);
      if (seen) return { html: runsToHtml(text, unpackRuns(seen.runs), marks), state: seen.state };
      const limit = linesRead++ < WARM_UP_LINES ? 0 : LINE_TIME_LIMIT_MS;
      let result = grammar.tokenizeLine(text, state, limit);
      if (result.stoppedEarly) result = grammar.tokenizeLine(text, state, limit);
      // Cut short twice: the tokens so far are not the line's; the next line goes on from the state before it.
      if (result.stoppedEarly) return { html: skippedLine(text, 'slow', marks), state };
      const runs: Run[] = [];
      for (const token of result.tokens) {
        const start = token.startIndex;
        const end = Math.min(token.endIndex, text.length);
        if (end <= start) continue;
        const cls = classFor(token.scopes);
        const last = runs.at(-1);
        if (last && last.cls === cls) last.end = end;
        else runs.push({ start, end, cls });
      }
      const html = runsToHtml(text, runs, marks);
      if (stateId !== undefined) {
        if (knownLines >= KNOWN_LINES_PER_LANGUAGE) {
          known.clear();
          knownLines = 0;
        }
        let byText = known.get(stateId);
        if (!byText) known.set(stateId, (byText = new Map()));
        byText.set(text, { runs: packRuns(runs), state: result.ruleStack });
        knownLines++;
      }
      return { html, state: result.ruleStack };
    },
  };
}

/** A line tokenized before from the same state: its coloured runs (packed, see packRuns) and the state after it. */
interface KnownLine {
  runs: string;
  state: StateStack;
}

/**
 * Runs as one string, `class:start:end` separated by spaces (class empty for uncoloured text).
 * Kept as run objects with their HTML, pika's Rust held 83 MiB in one thread and its cold build
 * peaked at 1,205 MiB (918 before); packed, 29 MiB. Unpacking costs microseconds a line.
 */
function packRuns(runs: readonly Run[]): string {
  return runs.map((run) => `${run.cls ?? ''}:${run.start}:${run.end}`).join(' ');
}

function unpackRuns(packed: string): Run[] {
  if (!packed) return [];
  return packed.split(' ').map((piece) => {
    const [cls, start, end] = piece.split(':') as [string, string, string];
    return { start: Number(start), end: Number(end), cls: cls || null };
  });
}

/** Lines kept per language and worker; past it, the kept lines are dropped and the count starts again. */
const KNOWN_LINES_PER_LANGUAGE = 200_000;

export type Marks = ReadonlyArray<readonly [number, number]>;
type Run = { start: number; end: number; cls: string | null };

/** HTML for a line shown without colours (plain text, or too long to tokenize), with its marks. */
export function plainLine(text: string, marks?: Marks): string {
  return runsToHtml(text, [{ start: 0, end: text.length, cls: null }], marks);
}

/**
 * Joins coloured runs into HTML, wrapping the marked ranges in `<mark>`. Runs are cut at mark
 * boundaries so elements nest properly: `<mark><span class="k1">a</span>b</mark>`.
 */
function runsToHtml(text: string, runs: readonly Run[], marks?: Marks): string {
  const piece = (cls: string | null, from: number, to: number) => {
    const escaped = markInvisibleCharacters(escapeHtml(text.slice(from, to)));
    return cls ? `<span class=${cls}>${escaped}</span>` : escaped;
  };
  let html = '';
  if (!marks?.length) {
    for (const run of runs) html += piece(run.cls, run.start, run.end);
    return html;
  }
  let markIndex = 0;
  let open = false;
  for (const run of runs) {
    let position = run.start;
    while (position < run.end) {
      while (markIndex < marks.length && marks[markIndex]![1] <= position) markIndex++;
      const mark = marks[markIndex];
      const inside = mark !== undefined && mark[0] <= position;
      const next = Math.min(run.end, mark === undefined ? run.end : inside ? mark[1] : mark[0]);
      if (inside !== open) {
        html += inside ? '<mark>' : '</mark>';
        open = inside;
      }
      html += piece(run.cls, position, next);
      position = next;
    }
  }
  return open ? `${html}</mark>` : html;
}

/** Registers classes made elsewhere (cached highlighting, other workers) for the stylesheet. */
export function registerClasses(classes: Iterable<TokenClass>): void {
  for (const cls of classes) if (!usedClasses.has(cls.name)) usedClasses.set(cls.name, cls);
}

export function classesUsed(): TokenClass[] {
  return [...usedClasses.values()];
}

/** The stylesheet for token classes: light colours by default, dark ones under prefers-color-scheme. */
export function tokenClassCss(classes: Iterable<TokenClass>): string {
  const sorted = [...classes].sort((a, b) => a.name.localeCompare(b.name));
  const rule = (cls: TokenClass, style: ThemeStyle) => `.${cls.name}{color:${style.foreground}${fontCss(style.fontStyle)}}`;
  const light = sorted.map((cls) => rule(cls, cls.light)).join('\n');
  const dark = sorted.map((cls) => rule(cls, cls.dark)).join('\n');
  return `${light}\n@media (prefers-color-scheme: dark){\n${dark}\n}\n`;
}

function fontCss(fontStyle: number): string {
  let css = '';
  css += fontStyle & 1 ? ';font-style:italic' : ';font-style:normal';
  css += fontStyle & 2 ? ';font-weight:bold' : ';font-weight:inherit';
  const lines = [fontStyle & 4 ? 'underline' : '', fontStyle & 8 ? 'line-through' : ''].filter(Boolean);
  css += `;text-decoration:${lines.length ? lines.join(' ') : 'none'}`;
  return css;
}
