import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { HighlightedFile, HighlightRequest } from './highlight-file.ts';
import { classesUsed, registerClasses, THEMES, TOKENIZER_VERSION, type TokenClass } from './tokenizer.ts';

const shikiVersion = (createRequire(import.meta.url)('shiki/package.json') as { version: string }).version;

interface CacheEntry {
  lines: HighlightedFile;
  classes: TokenClass[];
}

/**
 * Highlighted files on disk, keyed by a hash of everything the output depends on: the lines,
 * the language, the themes and the versions of Shiki and of our tokenizer. A build that finds a
 * file here skips its highlighting; the directory can be kept between CI runs.
 */
export class HighlightCache {
  private readonly dir: string | undefined;

  constructor(dir: string | undefined) {
    this.dir = dir;
  }

  static key(request: HighlightRequest): string {
    return createHash('sha256')
      .update(`${TOKENIZER_VERSION}\0${shikiVersion}\0${THEMES.light}\0${THEMES.dark}\0`)
      .update(JSON.stringify(request))
      .digest('hex');
  }

  private file(key: string): string {
    return path.join(this.dir!, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  /** The cached highlighting, or undefined; registers the entry's classes for the stylesheet. */
  async get(key: string): Promise<HighlightedFile | undefined> {
    if (!this.dir) return undefined;
    try {
      const entry = JSON.parse(await readFile(this.file(key), 'utf8')) as CacheEntry;
      registerClasses(entry.classes);
      return entry.lines;
    } catch {
      // Missing or unreadable (an interrupted write of an older build): highlight again.
      return undefined;
    }
  }

  async set(key: string, lines: HighlightedFile): Promise<void> {
    if (!this.dir) return;
    const used = usedClassNames(lines);
    const classes = classesUsed().filter((cls) => used.has(cls.name));
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half an entry; two branches may carry the same
    // file, so each write needs its own temporary name.
    const temporary = `${file}.${process.pid}.${++temporaryCount}.tmp`;
    await writeFile(temporary, JSON.stringify({ lines, classes } satisfies CacheEntry));
    await rename(temporary, file);
  }
}

let temporaryCount = 0;

function usedClassNames(lines: HighlightedFile): Set<string> {
  const names = new Set<string>();
  for (const hunk of lines) for (const line of hunk) for (const match of line.matchAll(/class=(k\w+)>/g)) names.add(match[1]!);
  return names;
}
