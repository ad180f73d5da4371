import { createHighlighter } from 'shiki';
import { describe, expect, it } from 'vitest';
import { bundledLanguages } from 'shiki';
import { classesUsed, engineFor, JAVASCRIPT_ENGINE_LANGUAGES, plainLine, THEMES, tokenClassCss, tokenizerFor, type Tokenizer } from '../../../scripts/render/tokenizer.ts';

const samples: Record<string, string> = {
  typescript: 'import { x } from "./x";\n/* spans\n   lines */\nexport const greet = (name: string) => `Hello, ${name}\n!`;\n',
  python: 'def area(w, h):\n    """Area\n    of a rectangle."""\n    return w * h  # done\n',
  rust: 'fn main() {\n    let s = r#"raw\nstring"#;\n    println!("{}", s);\n}\n',
  yaml: 'runs:\n  - id: 1\n    status: success # ok\n    note: |\n      text\n',
};

/** Each line's HTML, each line continuing from the state the one before it left. */
function lineHtml(tokenizer: Tokenizer, code: string): string[] {
  let state = tokenizer.initialState();
  return code.split('\n').map((text) => {
    const result = tokenizer.line(text, state);
    state = result.state;
    return result.html;
  });
}

/** Colour of every character of every line, for both themes, as Shiki's own dual-theme API gives it. */
async function shikiColours(code: string, lang: string): Promise<string[][]> {
  const highlighter = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [lang] });
  const { tokens } = highlighter.codeToTokens(code, { lang: lang as 'typescript', themes: THEMES, defaultColor: false });
  return tokens.map((line) => line.flatMap((token) => [...token.content].map(() => `${token.htmlStyle?.['--shiki-light']}/${token.htmlStyle?.['--shiki-dark']}`)));
}

/** The same, read back from our HTML and stylesheet. */
async function ourColours(code: string, lang: string): Promise<string[][]> {
  const tokenizer = (await tokenizerFor(lang))!;
  let state = tokenizer.initialState();
  const lines = code.split('\n').map((text) => {
    const result = tokenizer.line(text, state);
    state = result.state;
    return result.html;
  });
  const css = tokenClassCss(classesUsed());
  const [lightCss, darkCss] = css.split('@media');
  const colourOf = (sheet: string, cls: string) => new RegExp(`\\.${cls}\\{color:(#[0-9A-F]+)`).exec(sheet)?.[1];
  const highlighter = await createHighlighter({ themes: [THEMES.light, THEMES.dark], langs: [] });
  const defaults = { light: highlighter.getTheme(THEMES.light).fg.toUpperCase(), dark: highlighter.getTheme(THEMES.dark).fg.toUpperCase() };
  return lines.map((html) => {
    const colours: string[] = [];
    for (const match of html.matchAll(/<span class=(\w+)>([^<]*)<\/span>|([^<]+)/g)) {
      const text = (match[2] ?? match[3]!).replace(/&(?:lt|gt|amp|quot|#39);/g, '_');
      const colour = match[1] ? `${colourOf(lightCss!, match[1])}/${colourOf(darkCss!, match[1])}` : `${defaults.light}/${defaults.dark}`;
      for (const _ of text) colours.push(colour);
    }
    return colours;
  });
}

describe('the single-pass dual-theme tokenizer', () => {
  it.each(Object.keys(samples))('colours %s exactly as Shiki does in both themes', async (lang) => {
    const code = samples[lang]!;
    expect(await ourColours(code, lang)).toEqual(await shikiColours(code, lang));
  });

  it('carries grammar state across lines so a block comment stays a comment', async () => {
    const tokenizer = (await tokenizerFor('typescript'))!;
    const first = tokenizer.line('/* starts here', tokenizer.initialState());
    const second = tokenizer.line('const inside = 1; */', first.state);
    const fresh = tokenizer.line('const inside = 1; */', tokenizer.initialState());
    expect(second.html).not.toEqual(fresh.html);
    expect(tokenizer.sameState(first.state, tokenizer.initialState())).toBe(false);
  });

  it('wraps marked ranges in <mark> without breaking the nesting of token spans', async () => {
    const tokenizer = (await tokenizerFor('typescript'))!;
    const { html } = tokenizer.line('const total = 42;', tokenizer.initialState(), [[2, 8], [14, 16]]);
    expect(html.replace(/<[^>]+>/g, '')).toBe('const total = 42;');
    expect(html).toMatch(/^<span class=\w+>co<\/span><mark><span class=\w+>nst<\/span> <span class=\w+>to<\/span><\/mark>/);
    expect(html).toContain('<mark><span class=k');
    expect(html.match(/<mark>/g)).toHaveLength(2);
    expect(html.match(/<\/mark>/g)).toHaveLength(2);
  });

  it('escapes HTML in code and in plain lines', async () => {
    const tokenizer = (await tokenizerFor('typescript'))!;
    const text = tokenizer.line('a < b && c > "<d>"', tokenizer.initialState()).html.replace(/<\/?span[^>]*>/g, '');
    expect(text).toBe('a &lt; b &amp;&amp; c &gt; &quot;&lt;d&gt;&quot;');
    expect(plainLine('<script>alert("x")</script>', [[1, 7]])).toBe('&lt;<mark>script</mark>&gt;alert(&quot;x&quot;)&lt;/script&gt;');
  });

  it('colours a Markdown fence in its language whether or not a file of that language came first', async () => {
    // A README's ```bash block, as the first Markdown this thread highlights: no shell script before it.
    const fence = ['Run the relays:', '```bash', 'just e2e-public-relays --verbose', '```'];
    const highlight = async () => {
      const tokenizer = (await tokenizerFor('markdown'))!;
      let state = tokenizer.initialState();
      return fence.map((text) => {
        const result = tokenizer.line(text, state);
        state = result.state;
        return result.html;
      });
    };
    const first = await highlight();
    expect(first[2]).toMatch(/^<span class=k\w+>just<\/span>/);
    await tokenizerFor('shellscript');
    expect(await highlight()).toEqual(first);
  }, 60_000);

  it('names a colour pair the same way in every run, so cached HTML and stylesheet agree', async () => {
    const tokenizer = (await tokenizerFor('typescript'))!;
    const a = tokenizer.line('const a = 1;', tokenizer.initialState()).html;
    const b = tokenizer.line('const b = 2;', tokenizer.initialState()).html;
    expect(/class=(\w+)>const/.exec(a)![1]).toBe(/class=(\w+)>const/.exec(b)![1]);
  });

  it('reuses a line it has seen only when it starts in the same state: a raw string ends at its own delimiter, not at one like it', async () => {
    // `"# still` ends the first raw string (r#"…"#) but is text inside the second (r##"…"##): the
    // same line in states that differ only in the delimiter the grammar captured.
    const code = ['let a = r#"', '"# still', 'let b = r##"', '"# still', '"##;', 'let c = r#"', '"# still'].join('\n');
    expect(await ourColours(code, 'rust')).toEqual(await shikiColours(code, 'rust'));
  });

  it('gives a line seen before the same colours, and the marks of this time', async () => {
    // `ts` and `typescript` are one grammar with two tokenizers, so `ts` has never seen the line.
    const seen = (await tokenizerFor('typescript'))!;
    const fresh = (await tokenizerFor('ts'))!;
    const text = 'const remembered = compute(42); // once';
    const unmarked = seen.line(text, seen.initialState()).html;
    const marked = seen.line(text, seen.initialState(), [[6, 16]]).html;
    expect(marked).toBe(fresh.line(text, fresh.initialState(), [[6, 16]]).html);
    expect(marked).toContain('<mark>');
    expect(seen.line(text, seen.initialState()).html).toBe(unmarked);
    expect(unmarked).toBe(fresh.line(text, fresh.initialState()).html);
  });

  const javascriptEngineSamples: Record<string, string> = {
    rs: 'impl<T: Display> Wrapper<T> {\n    /// Docs with `code`\n    pub fn show(&self) -> String { format!("{}", self.0) }\n}\nlet raw = r#"a "quoted"\nstring"#;\n',
    swift: 'struct Point: Codable {\n    var x: Double // comment\n    func moved(by d: Double) -> Point { Point(x: x + d) }\n}\nlet s = """\nmulti \\(value)\n"""\n',
    kt: 'data class User(val name: String) {\n    /* block\n       comment */\n    fun greet() = "Hi, ${name.uppercase()}!"\n}\n',
    kts: 'plugins {\n    kotlin("jvm") version "2.0.0"\n}\ndependencies { implementation(libs.serialization) }\n',
  };

  it.each(Object.keys(javascriptEngineSamples))('tokenizes %s on the JavaScript regex engine with the same HTML as Oniguruma', async (lang) => {
    expect(engineFor(lang)).toBe('javascript');
    const code = javascriptEngineSamples[lang]!;
    const javascript = lineHtml((await tokenizerFor(lang))!, code);
    expect(javascript.join('\n')).toMatch(/<span class=k/);
    expect(javascript).toEqual(lineHtml((await tokenizerFor(lang, 'oniguruma'))!, code));
  });

  it('keeps TypeScript, Go, Markdown and Nix on Oniguruma, where the JavaScript engine was not faster, ran for ever, or would split an injection from Markdown', () => {
    for (const lang of ['ts', 'typescript', 'js', 'go', 'md', 'markdown', 'json', 'yaml', 'sh', 'nix']) expect(engineFor(lang)).toBe('oniguruma');
  });

  it('moves to the JavaScript engine no grammar that injects into another: the other would lose colours whenever that grammar sat in the other highlighter', async () => {
    for (const lang of JAVASCRIPT_ENGINE_LANGUAGES) {
      const registrations = (await bundledLanguages[lang as keyof typeof bundledLanguages]()).default;
      expect(registrations.filter((registration) => registration.injectTo?.length).map((registration) => registration.name)).toEqual([]);
    }
    // Nix is why: its module colours Markdown's ```nix fences by an injection.
    expect((await bundledLanguages.nix()).default.some((registration) => registration.injectTo?.includes('text.html.markdown'))).toBe(true);
  });
});
