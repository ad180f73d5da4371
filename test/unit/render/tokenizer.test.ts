import { createHighlighter } from 'shiki';
import { describe, expect, it } from 'vitest';
import { classesUsed, plainLine, THEMES, tokenClassCss, tokenizerFor } from '../../../scripts/render/tokenizer.ts';

const samples: Record<string, string> = {
  typescript: 'import { x } from "./x";\n/* spans\n   lines */\nexport const greet = (name: string) => `Hello, ${name}\n!`;\n',
  python: 'def area(w, h):\n    """Area\n    of a rectangle."""\n    return w * h  # done\n',
  rust: 'fn main() {\n    let s = r#"raw\nstring"#;\n    println!("{}", s);\n}\n',
  yaml: 'runs:\n  - id: 1\n    status: success # ok\n    note: |\n      text\n',
};

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
});
