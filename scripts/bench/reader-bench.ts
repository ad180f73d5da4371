import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { countElements } from '../render/page-budget.ts';
import type { Figure } from './figures.ts';

/**
 * What a reader meets on the site's largest branch page: its HTML, its elements, and how long the
 * Unified / Split switch takes in Chromium (the first switch, when the browser styles the new rows
 * for the first time, and the next ones). Chromium is the system's (CHROMIUM_PATH or `chromium`);
 * without it the switch is left out, said so.
 */
export async function readerFigures(largestPage: string, siteDir: string): Promise<Figure[]> {
  const html = await readFile(largestPage, 'utf8');
  const elements = countElements(html);
  const figures: Figure[] = [
    { name: 'largest branch page, HTML', value: `${(Buffer.byteLength(html) / 1048576).toFixed(2)} MiB`, target: '< 1.5 MiB', met: Buffer.byteLength(html) < 1.5 * 1048576 },
    { name: 'largest branch page, elements', value: elements.toLocaleString('en-US'), target: '< 60,000', met: elements < 60_000 },
  ];
  // A branch of many files keeps no diff on its page (page-budget.ts): then the switch is timed on
  // the largest of its file pages, where the rows are.
  const switchPage = html.includes('<tbody class="hunk"') ? largestPage : ((await largestFilePage(path.dirname(largestPage))) ?? largestPage);
  const where = switchPage === largestPage ? 'the largest page' : `its largest file page (${path.relative(siteDir, path.dirname(switchPage))}, ${(Buffer.byteLength(await readFile(switchPage)) / 1048576).toFixed(2)} MiB)`;
  const switchTimes = await timeViewSwitch(siteDir, path.relative(siteDir, path.dirname(switchPage))).catch((error: unknown) => error as Error);
  if (switchTimes instanceof Error) figures.push({ name: `view switch on ${where}`, value: `not measured: ${switchTimes.message.split('\n')[0]}` });
  else {
    const worst = Math.max(...switchTimes);
    // The machine's load beside the times: on a shared machine they grow with it.
    const load = (await readFile('/proc/loadavg', 'utf8').catch(() => '')).split(' ')[0];
    figures.push({
      name: `view switch on ${where} (first, then next ones)`,
      value: `${switchTimes.map((ms) => `${Math.round(ms)} ms`).join(', ')}${load ? ` (load average ${load})` : ''}`,
      target: '< 100 ms',
      met: worst < 100,
    });
  }
  return figures;
}

/** The biggest `files/<n>/index.html` under a branch page's folder, if it has any. */
async function largestFilePage(branchDir: string): Promise<string | undefined> {
  const names = await readdir(path.join(branchDir, 'files')).catch(() => [] as string[]);
  let largest: { file: string; size: number } | undefined;
  for (const name of names.filter((n) => /^\d+$/.test(n))) {
    const file = path.join(branchDir, 'files', name, 'index.html');
    const size = (await stat(file).catch(() => undefined))?.size ?? 0;
    if (size > (largest?.size ?? 0)) largest = { file, size };
  }
  return largest?.file;
}

/** Times split, unified, split, unified on the page at `pagePath`, each to the second frame after the click. */
async function timeViewSwitch(siteDir: string, pagePath: string): Promise<number[]> {
  const { chromium } = await import('playwright-core');
  const executablePath = process.env.CHROMIUM_PATH || execFileSync('which', ['chromium'], { encoding: 'utf8' }).trim();
  const server = createServer((request, response) => {
    void (async () => {
      const url = decodeURIComponent(new URL(request.url ?? '/', 'http://x').pathname);
      let file = path.join(siteDir, url);
      if ((await stat(file).catch(() => undefined))?.isDirectory()) file = path.join(file, 'index.html');
      const body = await readFile(file).catch(() => undefined);
      const type = file.endsWith('.html') ? 'text/html' : file.endsWith('.css') ? 'text/css' : file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream';
      response.writeHead(body ? 200 : 404, { 'content-type': type }).end(body);
    })();
  });
  await new Promise<void>((listening) => server.listen(0, '127.0.0.1', listening));
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`http://127.0.0.1:${(server.address() as AddressInfo).port}/${pagePath.split(path.sep).join('/')}/`, { waitUntil: 'load' });
    const times: number[] = [];
    for (const view of ['split', 'unified', 'split', 'unified']) {
      times.push(
        await page.evaluate(async (name) => {
          const button = document.querySelector<HTMLButtonElement>(`[data-view-switch] button[data-view=${name}]`);
          if (!button) throw new Error('the page has no view switch');
          const started = performance.now();
          button.click();
          await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
          return performance.now() - started;
        }, view),
      );
    }
    return times;
  } finally {
    await browser.close();
    server.close();
  }
}
