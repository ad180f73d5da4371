import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';

/**
 * Flags for a quiet, headless Chromium in a container: no sandbox because CI runs as root,
 * and none of the background traffic (updates, sync, metrics) that would reach outside 127.0.0.1.
 */
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

const INSTALL_HINT =
  'The e2e tests drive the system Chromium. Install it with `apt-get install -y chromium` (Debian/Ubuntu), ' +
  'or set CHROMIUM_PATH to a Chromium or Chrome executable.';

/** The Chromium executable: CHROMIUM_PATH when set, otherwise `chromium` on PATH. */
export function chromiumPath(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    try {
      accessSync(fromEnv, constants.X_OK);
    } catch {
      throw new Error(`CHROMIUM_PATH is ${fromEnv}, which is not an executable file. ${INSTALL_HINT}`);
    }
    return fromEnv;
  }
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (found) return found;
  } catch {
    // `which` exits non-zero when it finds nothing; the message below says what to do.
  }
  throw new Error(`Chromium was not found on PATH. ${INSTALL_HINT}`);
}

/** Launches the system Chromium, headless. Close it in `afterAll`. */
export async function launchBrowser(): Promise<Browser> {
  const executablePath = chromiumPath();
  try {
    return await chromium.launch({ executablePath, headless: true, args: CHROMIUM_ARGS });
  } catch (error) {
    throw new Error(`Could not start Chromium at ${executablePath}: ${error instanceof Error ? error.message : String(error)}\n${INSTALL_HINT}`);
  }
}

/**
 * A fresh context (its own cookies, cache and settings); axe-core needs pages made this way,
 * not by `browser.newPage()`. Close it when done.
 */
export async function newContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
}

/**
 * One Chromium for the calling test file: launched before its tests, closed after them.
 * Returns a getter, because the browser exists only once `beforeAll` has run.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('The browser is not running: call useBrowser() at the top of the test file.');
    return browser;
  };
}
