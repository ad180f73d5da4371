import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { htmlFiles, servedPath } from './site.ts';

/**
 * A small link checker over a built site on disk: every internal `href`/`src` of every HTML file
 * must name a file of the site, and a `#fragment` must name an id in the target page.
 */

export interface BrokenLink {
  /** The HTML file holding the link, relative to the site's root. */
  page: string;
  attribute: 'href' | 'src';
  value: string;
  reason: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** Decodes the character references an attribute value may hold. */
export function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ref: string) => {
    if (ref[0] === '#') return String.fromCodePoint(ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1)));
    return ENTITIES[ref.toLowerCase()] ?? whole;
  });
}

/** HTML with the contents of script, style and comments removed: their text is not markup. */
function markupOnly(html: string): string {
  return html
    .replace(/<!--[\s\S]*?-->/g, '')
    .replace(/<(script|style|template)\b[^>]*>[\s\S]*?<\/\1\s*>/gi, (tag) => tag.replace(/>[\s\S]*</, '><'));
}

/** The start tags of a document, with their attributes as written (values decoded). */
function* startTags(html: string): Generator<{ name: string; attributes: Array<[string, string]> }> {
  // Only real tags: text such as `&lt;a href="x">` inside highlighted code never starts with `<`.
  const tag = /<([a-zA-Z][\w:-]*)((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*\/?>/g;
  const attribute = /([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const match of markupOnly(html).matchAll(tag)) {
    const attributes: Array<[string, string]> = [];
    for (const a of (match[2] ?? '').matchAll(attribute)) attributes.push([a[1]!.toLowerCase(), decodeEntities(a[2] ?? a[3] ?? a[4] ?? '')]);
    yield { name: match[1]!.toLowerCase(), attributes };
  }
}

/** Every id (and `<a name>`) a document defines. */
export function idsOf(html: string): Set<string> {
  const ids = new Set<string>();
  for (const tag of startTags(html)) {
    for (const [name, value] of tag.attributes) if (name === 'id' || (name === 'name' && tag.name === 'a')) ids.add(value);
  }
  return ids;
}

/** Every `href` and `src` of a document, in order. */
export function linksOf(html: string): Array<{ attribute: 'href' | 'src'; value: string }> {
  const links: Array<{ attribute: 'href' | 'src'; value: string }> = [];
  for (const tag of startTags(html)) {
    for (const [name, value] of tag.attributes) if (name === 'href' || name === 'src') links.push({ attribute: name, value });
  }
  return links;
}

/**
 * Checks every internal link of a built site.
 *
 * @param siteDir the build's output directory
 * @param siteUrl where that directory is (or would be) served, with the base path, e.g. `http://127.0.0.1:4000/sub/dir/`
 * @returns the broken links; empty when all resolve
 */
export function checkLinks(siteDir: string, siteUrl: string): { pages: number; links: number; broken: BrokenLink[] } {
  const root = new URL(siteUrl);
  const pages = htmlFiles(siteDir);
  const idCache = new Map<string, Set<string>>();
  const idsIn = (file: string) => {
    let ids = idCache.get(file);
    if (!ids) idCache.set(file, (ids = idsOf(readFileSync(file, 'utf8'))));
    return ids;
  };

  /** The file a URL path of the site names, or why there is none. */
  const fileFor = (url: URL): { file: string } | { reason: string } => {
    if (!url.pathname.startsWith(root.pathname)) return { reason: `is outside the site's base path ${root.pathname}` };
    let relative: string;
    try {
      relative = decodeURIComponent(url.pathname.slice(root.pathname.length));
    } catch {
      return { reason: 'has a malformed percent-encoding' };
    }
    const file = path.join(siteDir, relative);
    if (relative === '' || relative.endsWith('/')) {
      const index = path.join(file, 'index.html');
      return existsSync(index) ? { file: index } : { reason: `names a directory without ${path.relative(siteDir, index)}` };
    }
    if (!existsSync(file)) return { reason: `names ${relative}, which the build did not write` };
    if (statSync(file).isDirectory()) {
      return existsSync(path.join(file, 'index.html')) ? { file: path.join(file, 'index.html') } : { reason: `names the directory ${relative} without an index.html` };
    }
    return { file };
  };

  const broken: BrokenLink[] = [];
  let links = 0;
  for (const page of pages) {
    const pageFile = path.join(siteDir, page);
    const html = readFileSync(pageFile, 'utf8');
    const base = /<base\s[^>]*href\s*=\s*["']([^"']+)["']/i.exec(html)?.[1];
    const pageUrl = new URL(servedPath(page), root);
    const resolveFrom = base ? new URL(decodeEntities(base), pageUrl) : pageUrl;
    for (const { attribute, value } of linksOf(html)) {
      const trimmed = value.trim();
      if (/^(mailto|tel|javascript|data|blob):/i.test(trimmed)) continue;
      let target: URL;
      try {
        target = new URL(trimmed, resolveFrom);
      } catch {
        broken.push({ page, attribute, value, reason: 'is not a valid URL' });
        continue;
      }
      if (target.origin !== root.origin) continue; // external: not this checker's business
      links++;
      const found = fileFor(target);
      if ('reason' in found) {
        broken.push({ page, attribute, value, reason: found.reason });
        continue;
      }
      if (target.hash.length > 1 && found.file.endsWith('.html')) {
        const id = decodeURIComponent(target.hash.slice(1));
        if (!idsIn(found.file).has(id)) broken.push({ page, attribute, value, reason: `points to #${id}, which is no id in ${path.relative(siteDir, found.file)}` });
      }
    }
  }
  return { pages: pages.length, links, broken };
}

/** One line per broken link, for a failure message. */
export function formatBroken(broken: BrokenLink[]): string[] {
  return broken.map((b) => `${b.page}: ${b.attribute}="${b.value}" ${b.reason}`);
}
