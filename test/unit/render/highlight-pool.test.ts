import { afterEach, expect, it } from 'vitest';
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
