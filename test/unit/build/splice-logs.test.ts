import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spliceLogs } from '../../../scripts/build/splice-logs.ts';
import { logPlaceholder } from '../../../scripts/logs/log-placeholder.ts';
import { viewLog } from '../../../scripts/logs/log-view.ts';
import { splitLines } from '../../../scripts/logs/read-lines.ts';
import { renderLogHtml } from '../../../scripts/logs/render-log.ts';
import type { SiteCiLogs, SiteLaneLog } from '../../../scripts/schema/site.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'splice-logs-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const facts = (htmlFile: string, htmlBytes: [number, number]): SiteLaneLog => ({ htmlFile, htmlBytes, totalLines: 1, shownLines: 1, errorCount: 0, errors: [], truncated: false });

/**
 * A page with a placeholder per key, and a site data folder with each log's HTML in a file of its
 * own after a first line, as a cache entry linked there has it.
 */
async function fixture(name: string, htmls: Record<string, string>, keysOnPage = Object.keys(htmls)) {
  const logs: SiteCiLogs = {};
  const dataDir = path.join(dir, `${name}-data`);
  await mkdir(path.join(dataDir, 'ci', '7'), { recursive: true });
  for (const [i, [key, html]] of Object.entries(htmls).entries()) {
    const line = Buffer.from(`{"sealed":"facts ${i}"}\n`);
    const encoded = Buffer.from(html);
    logs[key] = facts(`ci/7/${i}.entry`, [line.length, encoded.length]);
    await writeFile(path.join(dataDir, 'ci', '7', `${i}.entry`), Buffer.concat([line, encoded]));
  }
  const page = path.join(dir, `${name}.html`);
  const text = `<!doctype html><main>${keysOnPage.map((key) => `<div class="log">${logPlaceholder(key)}</div>`).join('\n')}</main>`;
  await writeFile(page, text);
  return { page, dataDir, text, logs };
}

describe('spliceLogs: the CI page gets each lane log in place of its placeholder', () => {
  it('writes the page as if the logs had been in it, whatever their size and characters', async () => {
    const big = `<span class="l" id="run-1-a-L1">${'━'.repeat(3_000_000)} ü 😀</span>`;
    const { page, dataDir, text, logs } = await fixture('two', { '1/run-1-a': big, '2/run-2-b': '<span class="l">second</span>' });
    const written = await spliceLogs(page, text, logs, dataDir);
    const bytes = await readFile(page);
    expect(bytes.toString('utf8')).toBe(`<!doctype html><main><div class="log">${big}</div>\n<div class="log"><span class="l">second</span></div></main>`);
    // What the site's snapshot is told instead of reading the page again.
    const found = await stat(page);
    expect(written).toEqual({ sha256: createHash('sha256').update(bytes).digest('hex'), ino: found.ino, size: bytes.length });
  });

  it('leaves a log that shows the placeholder text as text: it is escaped, and logs are copied, not searched', async () => {
    const hostile = `${logPlaceholder('2/run-2-b')} and <!--review-archive-log:1/run-1-a-->\n`;
    const view = await viewLog(splitLines([hostile]), path.join(dir, 'hostile.txt'));
    const html = renderLogHtml(view, 'run-1-a');
    expect(html).not.toContain('<!--');
    const { page, dataDir, text, logs } = await fixture('hostile', { '1/run-1-a': html, '2/run-2-b': 'B' });
    await spliceLogs(page, text, logs, dataDir);
    const written = await readFile(page, 'utf8');
    expect(written).toContain('&lt;!--review-archive-log:2/run-2-b--&gt; and &lt;!--review-archive-log:1/run-1-a--&gt;');
    expect(written.match(/<div class="log">B<\/div>/g)).toHaveLength(1);
  });

  it('stops, leaving the page as Astro wrote it, when a log has no place on the page or a placeholder no log', async () => {
    const lost = await fixture('lost', { '1/run-1-a': 'A', '2/run-2-b': 'B' }, ['1/run-1-a']);
    await expect(spliceLogs(lost.page, lost.text, lost.logs, lost.dataDir)).rejects.toThrow('the page has no place for the log "2/run-2-b"');
    expect(await readFile(lost.page, 'utf8')).toBe(lost.text);
    const unknown = await fixture('unknown', { '1/run-1-a': 'A' }, ['1/run-1-a', '9/run-9-z']);
    await expect(spliceLogs(unknown.page, unknown.text, unknown.logs, unknown.dataDir)).rejects.toThrow('a placeholder for the log "9/run-9-z" that the site data does not have');
    const twice = await fixture('twice', { '1/run-1-a': 'A' }, ['1/run-1-a', '1/run-1-a']);
    await expect(spliceLogs(twice.page, twice.text, twice.logs, twice.dataDir)).rejects.toThrow('appears twice');
    expect(await readFile(twice.page, 'utf8')).toBe(twice.text);
  });
});
