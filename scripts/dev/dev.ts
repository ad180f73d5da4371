/**
 * `npm run dev`: a live preview of an archive while it is written. The content build
 * (scripts/build/build-site.ts, content only) writes the site data into the dev server's own cache,
 * incrementally as `npm run build` does; Astro's dev server (its `dev()` API: Vite, its HMR
 * websocket, its chokidar watcher) renders the pages from it on request. On a change in the
 * archive the content is rebuilt, Astro's collections are refreshed, and the pages that show
 * something that changed reload themselves (scripts/dev/dev-client.ts); problems are printed once
 * and shown over the last good page. Templates in src/ are Astro's own: its dev server reloads them.
 *
 * Nothing here is in the production path: `npm run build` never loads this folder, and the
 * script the pages get comes from an integration only this command adds.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AstroIntegration } from 'astro';
import type { ViteDevServer } from 'vite';
import { build } from '../build/build-site.ts';
import { STATE_FILE, type BuildState } from '../build/build-state.ts';
import { formatReport } from '../build/report.ts';
import { pageChanges } from './changed-pages.ts';
import { DevUsageError, parseDevArgs, type DevOptions } from './dev-args.ts';
import { takeDevLock } from './dev-lock.ts';
import { DEV_EVENTS, DEV_STATE_PATH, type DevState } from './dev-protocol.ts';
import { problemViews } from './problem-view.ts';

const PROJECT_ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
/** Changes closer together than this (an editor saving a file in two steps, a folder copied in) make one rebuild. */
const SETTLE_MS = 60;

type Refresh = () => Promise<void>;

class DevSession {
  state: DevState = { problems: [] };
  private server: ViteDevServer | undefined;
  private refreshContent: Refresh | undefined;
  private lastBranches: BuildState['branches'] = {};
  private lastReport = '';
  private running: Promise<void> | undefined;
  private pending = false;
  private timer: NodeJS.Timeout | undefined;

  private readonly options: DevOptions;

  constructor(options: DevOptions) {
    this.options = options;
  }

  /** The Astro integration that gives this session the server, and the pages their script. */
  integration(): AstroIntegration {
    return {
      name: 'review-archive-dev',
      hooks: {
        'astro:config:setup': ({ injectScript, command }) => {
          if (command === 'dev') injectScript('page', `import ${JSON.stringify(`/${path.relative(PROJECT_ROOT, fileURLToPath(new URL('./dev-client.ts', import.meta.url))).split(path.sep).join('/')}`)};`);
        },
        'astro:server:setup': ({ server, refreshContent }) => {
          this.server = server;
          this.refreshContent = refreshContent ? () => refreshContent({}) : undefined;
          server.middlewares.use((request, response, next) => {
            if (!request.url?.split('?')[0]!.endsWith(`/${DEV_STATE_PATH}`)) return next();
            response.setHeader('Content-Type', 'application/json; charset=utf-8');
            response.setHeader('Cache-Control', 'no-store');
            response.end(JSON.stringify(this.state));
          });
          server.watcher.add(this.options.contentDir);
          for (const event of ['add', 'change', 'unlink', 'addDir', 'unlinkDir'] as const) {
            server.watcher.on(event, (file: string) => {
              if (isInside(path.resolve(file), this.options.contentDir)) this.schedule();
            });
          }
        },
      },
    };
  }

  /** The first build, before the server starts: returns false when there is nothing good to serve. */
  async firstBuild(): Promise<boolean> {
    this.lastBranches = await this.readBranches();
    await this.rebuild();
    return this.state.problems.length === 0 || existsSync(path.join(this.options.cacheDir, 'data', 'site.json'));
  }

  private schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      if (this.running) this.pending = true;
      else this.running = this.rebuildLoop();
    }, SETTLE_MS);
  }

  private async rebuildLoop(): Promise<void> {
    do {
      this.pending = false;
      await this.rebuild();
    } while (this.pending);
    this.running = undefined;
  }

  private async rebuild(): Promise<void> {
    const started = performance.now();
    const { contentDir, cacheDir } = this.options;
    let result;
    try {
      result = await build({ contentDir, cacheDir, outDir: path.join(cacheDir, 'unused'), contentOnly: true }, undefined);
    } catch (error) {
      // Not the archive's fault: a bug or the environment. The server keeps the last good data.
      console.error(`review-archive dev: the content build failed:\n${(error as Error).stack ?? String(error)}`);
      return;
    }
    if (!result.ok) {
      this.state = { problems: problemViews(result.problems, readTextOrUndefined) };
      const report = formatReport(result.problems, `review-archive dev: the archive has ${result.problems.length} ${result.problems.length === 1 ? 'problem' : 'problems'}; the last good build is still served.`);
      if (report !== this.lastReport) console.error(report);
      this.lastReport = report;
      this.send(DEV_EVENTS.problems, this.state);
      return;
    }
    const hadProblems = this.state.problems.length > 0;
    this.state = { problems: [] };
    this.lastReport = '';
    const branches = await this.readBranches();
    const changes = pageChanges(this.lastBranches, branches);
    this.lastBranches = branches;
    if (hadProblems) this.send(DEV_EVENTS.problems, this.state);
    // New collections (a summary changed, a branch came or went): Astro reloads every open page
    // itself once its content store is written, so telling the pages too would reload them twice.
    // Otherwise the collections are as they were, and only the pages that show a changed branch reload.
    if (changes.listing && this.refreshContent) await this.refreshContent();
    else if (changes.branches.length) this.send(DEV_EVENTS.changed, changes);
    const seconds = ((performance.now() - started) / 1000).toFixed(2);
    const count = changes.branches.length;
    const what = count > 10 ? `${count} branches changed` : count ? `branch${count === 1 ? '' : 'es'} ${changes.branches.join(', ')} changed` : changes.listing ? 'the feed changed' : 'nothing changed';
    console.log(`review-archive dev: ${hadProblems ? 'fixed; ' : ''}built ${result.branches} branches in ${seconds}s (${what})`);
  }

  private send(event: string, data: unknown): void {
    this.server?.ws.send({ type: 'custom', event, data });
  }

  /** Each branch's output hash, from the state the content build leaves (build-state.ts). */
  private async readBranches(): Promise<BuildState['branches']> {
    try {
      return (JSON.parse(await readFile(path.join(this.options.cacheDir, STATE_FILE), 'utf8')) as BuildState).branches ?? {};
    } catch {
      return {};
    }
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}

function readTextOrUndefined(file: string): string | undefined {
  try {
    return readFileSync(path.resolve(file), 'utf8');
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  let options: DevOptions;
  try {
    options = parseDevArgs(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof DevUsageError)) throw error;
    console.error(error.message);
    return error.message.startsWith('Usage:') ? 0 : 1;
  }
  const contentDir = path.resolve(options.contentDir);
  if (!statSync(contentDir, { throwIfNoEntry: false })?.isDirectory()) {
    console.error(`review-archive dev: --content ${options.contentDir}: no such folder`);
    return 1;
  }
  const cacheDir = path.resolve(options.cacheDir);
  // Read by astro.config.mjs and src/lib/data-dir.ts. No site URL: no sitemap or feeds to make.
  Object.assign(process.env, {
    REVIEW_ARCHIVE_DATA: path.join(cacheDir, 'data'),
    REVIEW_ARCHIVE_BASE: '/',
    REVIEW_ARCHIVE_ASTRO_CACHE: path.join(cacheDir, 'astro'),
    // Astro's dev server would otherwise ask npm for a newer version and send telemetry.
    ASTRO_TELEMETRY_DISABLED: '1',
    ASTRO_DISABLE_UPDATE_CHECK: 'true',
  });
  delete process.env.REVIEW_ARCHIVE_SITE;
  delete process.env.REVIEW_ARCHIVE_OUT;

  const lock = takeDevLock(PROJECT_ROOT);
  if ('heldBy' in lock) {
    console.error(`review-archive dev: another npm run dev (process ${lock.heldBy}) is running from ${PROJECT_ROOT}; stop it first (Astro's dev server keeps one content store per project folder).`);
    return 1;
  }
  if ('problem' in lock) {
    console.error(`review-archive dev: ${lock.problem}.`);
    return 1;
  }
  if (lock.note) console.error(`review-archive dev: note: ${lock.note}.`);
  try {
    return await serve(options, contentDir, cacheDir);
  } finally {
    lock.release();
  }
}

async function serve(options: DevOptions, contentDir: string, cacheDir: string): Promise<number> {
  const session = new DevSession({ ...options, contentDir, cacheDir });
  if (!(await session.firstBuild())) {
    console.error('review-archive dev: there is no good build to serve yet; fix the problems above and run npm run dev again.');
    return 1;
  }
  const { dev } = await import('astro');
  const server = await dev({
    root: PROJECT_ROOT,
    logLevel: 'warn',
    server: { port: options.port, host: options.host },
    integrations: [session.integration()],
    // The caches hold thousands of files nothing imports; watching them would only cost.
    vite: { server: { watch: { ignored: ['**/.review-archive/**', '**/dist/**', `${cacheDir}/**`] } } },
  });
  const shown = options.host === '0.0.0.0' || options.host === '::' ? 'localhost' : options.host;
  console.log(`review-archive dev: serving ${options.contentDir} on http://${shown.includes(':') ? `[${shown}]` : shown}:${server.address.port}/ (Ctrl-C stops)`);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.stop();
  return 0;
}

process.exitCode = await main();
// Astro's dev server leaves timers behind; the process is done once it has stopped.
process.exit();
