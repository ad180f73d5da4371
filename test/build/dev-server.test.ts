import { spawn, type ChildProcess } from 'node:child_process';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, newContext } from '../support/browser.ts';
import { runScript } from '../support/run-build.ts';
import { tempDir } from '../support/temp-dir.ts';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const VITEST_ENV = new Set(['TEST', 'NODE_ENV', 'FORCE_TTY', 'BASE_URL', 'MODE', 'DEV', 'PROD', 'SSR']);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

/** `npm run dev -- <args>` as a person runs it, with its output collected. */
function startDev(args: string[]): { child: ChildProcess; output: () => string; waitFor: (text: string, ms?: number) => Promise<void> } {
  const bin = path.join(projectRoot, 'node_modules/.bin');
  const env: NodeJS.ProcessEnv = { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ''}`, FORCE_COLOR: '0', NO_COLOR: '1' };
  for (const name of Object.keys(env)) if (name.startsWith('VITEST') || VITEST_ENV.has(name)) delete env[name];
  const child = spawn(path.join(bin, 'node'), [path.join(projectRoot, 'scripts/dev/dev.ts'), ...args], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const waitFor = async (text: string, ms = 120_000) => {
    const until = Date.now() + ms;
    while (!output.includes(text)) {
      if (child.exitCode !== null) throw new Error(`npm run dev stopped (${child.exitCode}):\n${output}`);
      if (Date.now() > until) throw new Error(`npm run dev did not print "${text}":\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  return { child, output: () => output, waitFor };
}

describe('npm run dev', () => {
  let archive: string;
  let cache: string;
  let port: number;
  let dev: ReturnType<typeof startDev>;
  let browser: Browser;
  let page: Page;
  let stepFile: string;

  beforeAll(async () => {
    const dir = await tempDir('review-archive-dev-');
    archive = path.join(dir, 'archive');
    cache = path.join(dir, 'cache');
    await cp(path.join(projectRoot, 'test/fixtures/archives/good'), archive, { recursive: true });
    stepFile = path.join(archive, 'branches/7-greet-in-french/steps/01-choose-the-greeting.md');
    port = await freePort();
    dev = startDev(['--content', archive, '--cache', cache, '--port', String(port)]);
    await dev.waitFor(`on http://localhost:${port}/`);
    browser = await launchBrowser();
    page = await (await newContext(browser, { viewport: { width: 1280, height: 600 } })).newPage();
    // A first visit to a fresh checkout's dev server lets Vite find and optimize the page's
    // dependencies, and it reloads the page when done: let that happen before the tests watch for reloads.
    await page.goto(`http://localhost:${port}/branch/7/`);
    await page.waitForLoadState('networkidle');
    await page.waitForTimeout(3_000);
    await page.reload();
    await page.waitForLoadState('networkidle');
  });

  afterAll(async () => {
    await browser?.close();
    if (dev && dev.child.exitCode === null) dev.child.kill('SIGKILL');
  });

  it('shows an edited step without a manual reload, at the same scroll position', async () => {
    await page.goto(`http://localhost:${port}/branch/7/`);
    expect(await page.locator('#step-1').textContent()).toContain('Choose the greeting by language');
    // A short window, so that the small fixture page can scroll at all; the position is what it reached.
    await page.setViewportSize({ width: 1280, height: 400 });
    const scrolled = await page.evaluate(() => {
      window.scrollTo(0, 300);
      return window.scrollY;
    });
    expect(scrolled).toBeGreaterThan(0);
    const text = await readFile(stepFile, 'utf8');
    const saved = Date.now();
    await writeFile(stepFile, text.replace('| fr       | Bonjour  |', '| fr       | Salut, live preview  |'));
    await page.locator('#step-1', { hasText: 'Salut, live preview' }).waitFor({ timeout: 20_000 });
    console.log(`dev: an edited step showed in the browser ${Date.now() - saved} ms after the save`);
    // The page script that puts the position back runs after the new page has parsed: give it time.
    await expect.poll(() => page.evaluate(() => window.scrollY), { timeout: 15_000 }).toBe(scrolled);
  });

  it('shows a broken front matter over the page, naming the file and line, and clears it once fixed', async () => {
    const text = await readFile(stepFile, 'utf8');
    const before = dev.output().length;
    await writeFile(stepFile, text.replace('title: Choose the greeting by language', 'title: Choose the greeting by language\nreviewer: Kim'));
    const overlay = page.locator('review-archive-problems');
    await overlay.locator('li').first().waitFor({ timeout: 20_000 });
    // Named as the build names files: relative to the folder npm run dev runs in.
    const where = `${path.relative(projectRoot, stepFile)}:3`;
    expect(await overlay.locator('.where').allTextContents()).toEqual([where]);
    expect(await overlay.locator('.message').allTextContents()).toEqual(['reviewer: is not a known field (check its spelling, see content/README.md)']);
    expect(await overlay.locator('.line[data-marked]').allTextContents()).toEqual(['3reviewer: Kim']);
    expect(await overlay.locator('.line').allTextContents()).toEqual(['1---', '2title: Choose the greeting by language', '3reviewer: Kim', '4intent: Pick the word before building the sentence.', '5files:', '6  - src/greet.ts']);
    // The last good page is still underneath.
    expect(await page.locator('#step-1').textContent()).toContain('Salut, live preview');
    // The terminal says it once, with the same line.
    await expect.poll(() => dev.output().slice(before)).toContain(`${where}: reviewer: is not a known field`);
    expect(dev.output().slice(before).split(`${where}: reviewer`).length - 1).toBe(1);

    // A page opened now shows the problems too.
    const other = await page.context().newPage();
    await other.goto(`http://localhost:${port}/`);
    await other.locator('review-archive-problems .where').waitFor({ timeout: 10_000 });
    await other.close();

    await writeFile(stepFile, text);
    await overlay.waitFor({ state: 'detached', timeout: 20_000 });
    expect(await page.locator('#step-1').textContent()).toContain('Salut, live preview');
  });

  it("shows a lane's log on the CI page, read from the site data (a build splices it in; the dev server has no such step)", async () => {
    const branch = path.join(archive, 'branches/7-greet-in-french');
    // Seen once before the change: the first visit to the CI page has Vite compile its templates
    // (on a busy machine, seconds), which the wait below should not have to cover.
    await page.goto(`http://localhost:${port}/branch/7/ci/`);
    expect(await page.locator('#run-1-test .lane-no-log').textContent()).toBe('No log was archived for this lane.');
    const before = dev.output().length;
    await writeFile(path.join(branch, 'ci-test.log'), '2026-10-01T10:01:05.0000000Z \x1b[31merror: <b>greeting</b> missing\x1b[0m\nsecond line\n');
    const ci = await readFile(path.join(branch, 'ci.yaml'), 'utf8');
    await writeFile(path.join(branch, 'ci.yaml'), ci.replace('{ name: test, status: failed, duration_secs: 75 }', '{ name: test, status: failed, duration_secs: 75, log: ci-test.log }'));
    const line = page.locator('#run-1-test-L1');
    await expect
      .poll(async () => {
        await page.goto(`http://localhost:${port}/branch/7/ci/`);
        return line.count();
      }, { timeout: 60_000 })
      .toBe(1)
      .catch((error: Error) => {
        throw new Error(`${error.message}\nnpm run dev printed meanwhile:\n${dev.output().slice(before)}`);
      });
    // The line's number holds its anchor; an error line sits in a block of its own, a plain line has none.
    expect(await line.locator('xpath=..').innerHTML()).toBe('<a id="run-1-test-L1" href="#run-1-test-L1">1</a><time>10:01:05</time><span class="f1">error: &lt;b&gt;greeting&lt;/b&gt; missing</span>');
    expect(await page.locator('#run-1-test-L2').evaluate((number) => number.nextSibling?.textContent)).toBe('second line');
  });

  it('picks up a new step made with npm run new, and a branch folder removed', async () => {
    await page.goto(`http://localhost:${port}/branch/7/`);
    await page.waitForLoadState('networkidle');
    const made = await runScript('scripts/author/new.ts', ['step', '7', 'A step written live', '--content', archive]);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    await page.locator('h3', { hasText: 'A step written live' }).waitFor({ timeout: 20_000 });

    await page.goto(`http://localhost:${port}/`);
    expect(await page.locator('main').textContent()).toContain('draft');
    const { rm } = await import('node:fs/promises');
    await rm(path.join(archive, 'branches/8-draft'), { recursive: true });
    await expect.poll(() => page.locator('a[href$="/branch/8/"]').count(), { timeout: 20_000 }).toBe(0);
  });

  it('refuses a second dev server from the same checkout, which would share its content store', async () => {
    const second = await runScript('scripts/dev/dev.ts', ['--content', archive, '--cache', `${cache}-2`, '--port', String(await freePort())], 60_000);
    expect(second.code).toBe(1);
    expect(second.stderr.trim()).toBe(`review-archive dev: another npm run dev (process ${dev.child.pid}) is running from ${projectRoot}; stop it first (Astro's dev server keeps one content store per project folder).`);
  });

  it('stops on Ctrl-C with status 0 and frees its port', async () => {
    const exited = new Promise<number | null>((resolve) => dev.child.once('exit', resolve));
    dev.child.kill('SIGINT');
    expect(await exited).toBe(0);
    const { ok } = await fetch(`http://localhost:${port}/`).then(
      (response) => ({ ok: response.ok }),
      () => ({ ok: false }),
    );
    expect(ok).toBe(false);
  });
});
