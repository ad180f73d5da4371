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
});
