/**
 * Astro's build around a kept server bundle (scripts/build/astro-bundle.ts), for
 * scripts/build/astro-worker.ts: `keepBundle` is an integration with which a full `astro build`
 * keeps its bundle, and `generateWithBundle` renders the pages from a kept one.
 *
 * generateWithBundle is Astro's own `astro build` (astro/dist/core/build/index.js, AstroBuilder)
 * without its Vite step: the same config, settings, integration hooks and routes, then Astro's own
 * page generation (core/build/generate.js, generatePages) over the kept chunks, so the pages come out
 * byte for byte as a full build renders them. These modules are not Astro's public API: the locked
 * Astro version is part of the bundle's key (package-lock.json is in the pipeline's fingerprint), and
 * test/build/kept-bundle.test.ts compares the site such a build writes with a fresh build's.
 */
import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { AstroInlineConfig, AstroIntegration, AstroPrerenderer } from 'astro';
import { bakedStoreText, restoreBundle, saveBundle, sha256, type KeptBundle } from './astro-bundle.ts';

/** The modules of Astro's build that generateWithBundle calls, by their path in Astro's dist/ folder. */
const GENERATE_MODULES = {
  config: 'core/config/config.js',
  logger: 'core/logger/load.js',
  settings: 'core/config/settings.js',
  hooks: 'integrations/hooks.js',
  routes: 'core/routing/create-manifest.js',
  pageData: 'core/build/page-data.js',
  internals: 'core/build/internal.js',
  generate: 'core/build/generate.js',
  encryption: 'core/encryption.js',
  fs: 'core/fs/index.js',
} as const;

/** Untyped: these modules are outside Astro's exports, so TypeScript does not see their types. */
type AstroModules = Record<keyof typeof GENERATE_MODULES, Record<string, (...args: any[]) => any>>;

let loading: Promise<AstroModules> | undefined;

/**
 * Loads (once) the part of Astro that generateWithBundle uses: 0.6 s of CPU against 0.85 s for all
 * of Astro, measured with the compile cache on this machine, so a worker that expects to render
 * from a kept bundle loads only these ahead of the build.
 */
export function loadGenerateModules(): Promise<AstroModules> {
  const dist = new URL('./', import.meta.resolve('astro'));
  loading ??= Promise.all(Object.entries(GENERATE_MODULES).map(async ([name, file]) => [name, await import(new URL(file, dist).href)] as const)).then(
    (modules) => Object.fromEntries(modules) as AstroModules,
  );
  return loading;
}

interface PageData {
  key: string;
  component: string;
  styles: unknown[];
  route: unknown;
}

/**
 * Where Astro's build writes the prerender chunks: into the output folder if that is inside the
 * working directory, else into `<cwd>/.astro/` (core/build/common.js getOutDirWithinCwd), then
 * `.prerender/` (prerender/utils.js getPrerenderOutputDirectory). Ours is beside --out, outside.
 */
function prerenderFolder(outDir: URL): string {
  const out = fileURLToPath(outDir);
  return path.join(out.startsWith(process.cwd()) ? out : path.join(process.cwd(), '.astro'), '.prerender');
}

/**
 * An integration with which `astro build` keeps its bundle in `dir` for builds with this `key`,
 * as it stands when Astro starts rendering pages: its prerenderer is Astro's own, with the keeping
 * done first. Kept only if the chunks hold the content store in the form bakedStoreText reads.
 */
export function keepBundle(dir: string, key: string): AstroIntegration {
  let outDir: URL | undefined;
  let pages: Map<string, PageData> | undefined;
  return {
    name: 'review-archive:keep-bundle',
    hooks: {
      'astro:config:done': ({ config }) => {
        outDir = config.outDir;
      },
      // The build's own page records: by the time pages are rendered, the styles are in them.
      'astro:build:setup': ({ pages: byKey }) => {
        pages = byKey as unknown as Map<string, PageData>;
      },
      'astro:build:start': ({ setPrerenderer }) => {
        setPrerenderer((astros: AstroPrerenderer) => ({
          ...astros,
          async setup() {
            await astros.setup?.();
            const prerender = prerenderFolder(outDir!);
            const entry = (await readdir(prerender)).find((name) => name.startsWith('prerender-entry.'));
            const store = await bakedStoreText(prerender);
            if (!entry || store === undefined || !pages) return;
            const styles = Object.fromEntries([...pages].map(([pageKey, page]) => [pageKey, page.styles]));
            await saveBundle(dir, { key, store: sha256(store), prerenderEntry: entry, styles }, { prerender, client: fileURLToPath(outDir!) });
          },
        }));
      },
    },
  };
}

/**
 * Renders the site's pages as `astro build` with `inlineConfig` would, from the kept `bundle`
 * instead of a new Vite build. Its content store must be the one in the cache now (openBundle
 * checks), and Astro's content sync is not run.
 */
export async function generateWithBundle(inlineConfig: AstroInlineConfig, bundle: KeptBundle): Promise<void> {
  const astro = await loadGenerateModules();
  process.env.NODE_ENV ??= 'production';
  const { astroConfig } = await astro.config.resolveConfig!(inlineConfig, 'build');
  const logger = await astro.logger.loadOrCreateNodeLogger!(astroConfig, inlineConfig);
  let settings = await astro.settings.createSettings!(astroConfig, inlineConfig.logLevel, fileURLToPath(astroConfig.root));
  settings = await astro.hooks.runHookConfigSetup!({ settings, command: 'build', logger });
  settings.buildOutput = 'static';
  const routesList = await astro.routes.createRoutesList!({ settings }, logger);
  await astro.hooks.runHookConfigDone!({ settings, logger, command: 'build' });
  await astro.hooks.runHookBuildStart!({ settings, logger });

  const { allPages } = astro.pageData.collectPagesData!({ settings, logger, manifest: routesList }) as { allPages: Record<string, PageData> };
  const pages = Object.values(allPages);
  // The same templates make the same routes; any other set is a bug to stop at, not to render around.
  if (pages.map((page) => page.key).sort().join('\0') !== Object.keys(bundle.styles).sort().join('\0')) {
    throw new Error(`The kept server bundle (${bundle.dir}) was made for other pages than this build's.`);
  }
  // What static-build.js viteBuild records of each page before bundling, and what bundling adds.
  const internals = astro.internals.createBuildInternals!();
  for (const page of pages) {
    page.styles = bundle.styles[page.key]!;
    astro.internals.trackPageData!(internals, page.component, page, `/${page.component}`, new URL(`./${page.component}`, settings.config.root));
  }
  internals.prerenderEntryFileName = bundle.prerenderEntry;

  const prerender = prerenderFolder(settings.config.outDir);
  astro.fs.emptyDir!(settings.config.outDir);
  await rm(prerender, { recursive: true, force: true });
  await restoreBundle(bundle, { prerender, client: fileURLToPath(settings.config.outDir) });
  const pageNames: string[] = [];
  const options = {
    allPages,
    settings,
    logger,
    routesList,
    runtimeMode: 'production',
    origin: settings.config.site ? new URL(settings.config.site).origin : `http://localhost:${settings.config.server.port}`,
    pageNames,
    viteConfig: {},
    key: astro.encryption.createKey!(),
    force: false,
  };
  try {
    await astro.generate.generatePages!(options, internals, pathToFileURL(`${prerender}${path.sep}`));
  } finally {
    await rm(prerender, { recursive: true, force: true });
  }
  await astro.hooks.runHookBuildDone!({ settings, pages: pageNames, routes: pages.map((page) => page.route), logger });
}
