import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

/** Content types for what a static site holds; anything else is served as bytes. */
const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(file: string): string {
  return contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

export interface StaticServer {
  /** Where the site lives, with the base path and a trailing slash, e.g. `http://127.0.0.1:40123/sub/dir/`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves a built site the way a plain static host does: `/dir/` is `/dir/index.html`, `/dir` redirects
 * to `/dir/`, and anything missing gets the site's `404.html` (or a short text) with status 404.
 *
 * @param root the built site (the build's `--out` directory)
 * @param base the path the site is served under, as given to the build's `--base`; `/` by default
 */
export async function serveStatic(root: string, base = '/'): Promise<StaticServer> {
  const prefix = `/${base.replace(/^\/+|\/+$/g, '')}/`.replace(/^\/\/$/, '/');
  const rootDir = path.resolve(root);

  async function fileAt(urlPath: string): Promise<{ file: string; redirect?: undefined } | { redirect: string } | null> {
    if (!urlPath.startsWith(prefix)) return null;
    let relative: string;
    try {
      relative = decodeURIComponent(urlPath.slice(prefix.length));
    } catch {
      return null;
    }
    const file = path.resolve(rootDir, relative);
    if (file !== rootDir && !file.startsWith(rootDir + path.sep)) return null;
    const info = await stat(file).catch(() => null);
    if (info?.isFile()) return { file };
    if (info?.isDirectory()) {
      if (!urlPath.endsWith('/')) return { redirect: `${urlPath}/` };
      const index = path.join(file, 'index.html');
      if ((await stat(index).catch(() => null))?.isFile()) return { file: index };
    }
    return null;
  }

  const server: Server = createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (request.method !== 'GET' && request.method !== 'HEAD') {
        response.writeHead(405, { allow: 'GET, HEAD' }).end();
        return;
      }
      // The site root without its slash, e.g. `/sub/dir`, is still the site.
      const found = url.pathname === prefix.slice(0, -1) ? { redirect: prefix } : await fileAt(url.pathname);
      if (found && 'redirect' in found && found.redirect) {
        response.writeHead(301, { location: found.redirect + url.search }).end();
        return;
      }
      if (found && 'file' in found) {
        response.writeHead(200, { 'content-type': contentTypeFor(found.file), 'cache-control': 'no-store' });
        if (request.method === 'HEAD') response.end();
        else createReadStream(found.file).pipe(response);
        return;
      }
      const notFound = path.join(rootDir, '404.html');
      if ((await stat(notFound).catch(() => null))?.isFile()) {
        response.writeHead(404, { 'content-type': contentTypes['.html']! });
        if (request.method === 'HEAD') response.end();
        else createReadStream(notFound).pipe(response);
      } else {
        response.writeHead(404, { 'content-type': contentTypes['.txt']! }).end(`Not found: ${url.pathname}\n`);
      }
    })().catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': contentTypes['.txt']! });
      response.end(String(error));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // Port 0: the system picks a free port, so parallel runs never collide.
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
