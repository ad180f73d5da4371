import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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

const facts = (htmlBytes: [number, number]): SiteLaneLog => ({ htmlBytes, totalLines: 1, shownLines: 1, errorCount: 0, errors: [], truncated: false });

/** A page with a placeholder per key, and the log file with each log's HTML one after the other. */
async function fixture(name: string, htmls: Record<string, string>, keysOnPage = Object.keys(htmls)) {
  const logs: SiteCiLogs = {};
  const bytes: Buffer[] = [];
  let offset = 0;
  for (const [key, html] of Object.entries(htmls)) {
    const encoded = Buffer.from(html);
    logs[key] = facts([offset, encoded.length]);
    bytes.push(encoded);
    offset += encoded.length;
  }
  const page = path.join(dir, `${name}.html`);
  const htmlFile = path.join(dir, `${name}.logs.html`);
  const text = `<!doctype html><main>${keysOnPage.map((key) => `<div class="log">${logPlaceholder(key)}</div>`).join('\n')}</main>`;
  await writeFile(page, text);
  await writeFile(htmlFile, Buffer.concat(bytes));
  return { page, htmlFile, text, logs };
}

describe('spliceLogs: the CI page gets each lane log in place of its placeholder', () => {
  it('writes the page as if the logs had been in it, whatever their size and characters', async () => {
    const big = `<span class="l" id="run-1-a-L1">${'━'.repeat(3_000_000)} ü 😀</span>`;
    const { page, htmlFile, text, logs } = await fixture('two', { '1/run-1-a': big, '2/run-2-b': '<span class="l">second</span>' });
    await spliceLogs(page, text, logs, htmlFile);
    expect(await readFile(page, 'utf8')).toBe(`<!doctype html><main><div class="log">${big}</div>\n<div class="log"><span class="l">second</span></div></main>`);
  });

  it('leaves a log that shows the placeholder text as text: it is escaped, and logs are copied, not searched', async () => {
    const hostile = `${logPlaceholder('2/run-2-b')} and <!--review-archive-log:1/run-1-a-->\n`;
    const view = await viewLog(splitLines([hostile]), path.join(dir, 'hostile.txt'));
    const html = renderLogHtml(view, 'run-1-a');
    expect(html).not.toContain('<!--');
    const { page, htmlFile, text, logs } = await fixture('hostile', { '1/run-1-a': html, '2/run-2-b': 'B' });
    await spliceLogs(page, text, logs, htmlFile);
    const written = await readFile(page, 'utf8');
    expect(written).toContain('&lt;!--review-archive-log:2/run-2-b--&gt; and &lt;!--review-archive-log:1/run-1-a--&gt;');
    expect(written.match(/<div class="log">B<\/div>/g)).toHaveLength(1);
  });

  it('stops, leaving the page as Astro wrote it, when a log has no place on the page or a placeholder no log', async () => {
    const lost = await fixture('lost', { '1/run-1-a': 'A', '2/run-2-b': 'B' }, ['1/run-1-a']);
    await expect(spliceLogs(lost.page, lost.text, lost.logs, lost.htmlFile)).rejects.toThrow('the page has no place for the log "2/run-2-b"');
    expect(await readFile(lost.page, 'utf8')).toBe(lost.text);
    const unknown = await fixture('unknown', { '1/run-1-a': 'A' }, ['1/run-1-a', '9/run-9-z']);
    await expect(spliceLogs(unknown.page, unknown.text, unknown.logs, unknown.htmlFile)).rejects.toThrow('a placeholder for the log "9/run-9-z" that the site data does not have');
    const twice = await fixture('twice', { '1/run-1-a': 'A' }, ['1/run-1-a', '1/run-1-a']);
    await expect(spliceLogs(twice.page, twice.text, twice.logs, twice.htmlFile)).rejects.toThrow('appears twice');
    expect(await readFile(twice.page, 'utf8')).toBe(twice.text);
  });
});
