import { afterEach, expect, it } from 'vitest';
import { countSkippedLines } from '../../../scripts/render/file-notes.ts';
import { highlightFile, type HighlightRequest } from '../../../scripts/render/highlight-file.ts';
import { HighlightPool } from '../../../scripts/render/highlight-pool.ts';

let pool: HighlightPool | undefined;
afterEach(async () => {
  await pool?.close();
});

/** A small TypeScript file diff whose lines differ from one request to the next. */
function request(n: number): HighlightRequest {
  return {
    language: 'typescript',
    hunks: [
      [
        { kind: 'context', text: `export function step${n}(value: number): string {` },
        { kind: 'del', text: `  return \`old ${n}\` + value; // was ${n}` },
        { kind: 'add', text: `  return \`new ${n}\` + String(value * ${n});` },
        { kind: 'context', text: '}' },
      ],
    ],
  };
}

it('replaces a worker once it has served its share of lines, and highlights exactly as one thread does', async () => {
  pool = new HighlightPool(2, 10);
  const requests = Array.from({ length: 12 }, (_, n) => request(n));
  const results = [];
  // A few at a time, as a build sends them: workers retire only when they have nothing pending.
  for (let i = 0; i < requests.length; i += 3) results.push(...(await Promise.all(requests.slice(i, i + 3).map((r) => pool!.highlight(r)))));
  expect(pool.replaced).toBeGreaterThan(0);
  expect(results).toEqual(await Promise.all(requests.map((r) => highlightFile(r))));
}, 60_000);

/** A C# file that Shiki's grammar takes seconds per line on (it backtracks on `<a <a <a …`). */
const stuckCSharp: HighlightRequest = {
  language: 'csharp',
  hunks: [Array.from({ length: 12 }, (_, i) => ({ kind: 'add' as const, text: '<a '.repeat(300 + i * 30).trimEnd() }))],
};

it('stops a worker stuck in a grammar, shows that file plain and marked, and goes on with the files queued behind it', async () => {
  pool = new HighlightPool(1, undefined, 5000);
  const started = performance.now();
  const [stuck, ...queued] = await Promise.all([pool.highlight(stuckCSharp), pool.highlight(request(1)), pool.highlight(request(2))]);
  // Grammar loading included, on a busy machine; without the watchdog this takes minutes.
  expect(performance.now() - started).toBeLessThan(40_000);
  expect(pool.stopped).toBe(1);
  expect(stuck).toEqual([stuckCSharp.hunks[0]!.map((line) => `<span class=hl-slow>${line.text.replaceAll('<', '&lt;')}</span>`)]);
  expect(queued).toEqual([await highlightFile(request(1)), await highlightFile(request(2))]);
}, 60_000);

/**
 * cobra #1188's hunk of command.go. On Shiki's JavaScript regex engine, Go's grammar never finishes
 * the hunk's ninth line, a comment inside a struct (one scan backtracks without end, and a
 * JavaScript regex cannot be stopped); Oniguruma takes under a second. Go stays on Oniguruma in
 * the build for that reason: the request asks for the JavaScript engine, as a listed language's would.
 */
const cobra1188: HighlightRequest = {
  language: 'go',
  engine: 'javascript',
  hunks: [
    [
      { kind: 'context', text: '// definition to ensure usability.' },
      { kind: 'context', text: 'type Command struct {' },
      { kind: 'context', text: '\t// Use is the one-line usage message.' },
      { kind: 'add', text: '\t// Recommended syntax is as follow:' },
      { kind: 'add', text: '\t//   [ ] identifies an optional argument. Arguments that are not enclosed in brackets are required.' },
      { kind: 'add', text: '\t//   ... indicates that you can specify multiple values for the previous argument.' },
      { kind: 'add', text: '\t//   |   indicates mutually exclusive information. You can use the argument to the left of the separator or the' },
      { kind: 'add', text: '\t//       argument to the right of the separator. You cannot use both arguments in a single use of the command.' },
      { kind: 'add', text: '\t//   { } delimits a set of mutually exclusive arguments when one of the arguments is required. If the arguments are' },
      { kind: 'add', text: '\t//       optional, they are enclosed in brackets ([ ]).' },
      { kind: 'add', text: '\t// Example: add [-F file | -D dir]... [-f format] profile' },
      { kind: 'context', text: '\tUse string' },
    ],
  ],
};

it('stops a worker stuck in a JavaScript regex and highlights that file again with Oniguruma, as Oniguruma alone does', async () => {
  pool = new HighlightPool(1, undefined, 3000);
  const started = performance.now();
  const [stuck, queued] = await Promise.all([pool.highlight(cobra1188), pool.highlight(request(3))]);
  // Grammar loading on a busy machine, the 3 s of silence, Oniguruma's pass; without the watchdog, never.
  expect(performance.now() - started).toBeLessThan(40_000);
  expect(pool.stopped).toBe(1);
  expect(countSkippedLines(stuck)).toEqual({ long: 0, slow: 0 });
  expect(stuck).toEqual(await highlightFile({ ...cobra1188, engine: 'oniguruma' }));
  expect(queued).toEqual(await highlightFile(request(3)));
}, 60_000);
