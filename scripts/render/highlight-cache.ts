import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { sealJson, unsealJson } from '../build/sealed-json.ts';
import type { HighlightedFile, HighlightRequest } from './highlight-file.ts';
import { classesUsed, engineFor, registerClasses, THEMES, TOKENIZER_VERSION, type TokenClass } from './tokenizer.ts';

const shikiVersion = (createRequire(import.meta.url)('shiki/package.json') as { version: string }).version;

/** Part of every key: entries of another layout (before they were sealed) are not found, rather than taken for damaged ones. */
const ENTRY_FORMAT = 'sealed-1';

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
    // A language on the JavaScript regex engine has keys of its own: what was highlighted with
    // Oniguruma before it moved there is not taken for that engine's output.
    const engine = engineFor(request.language) === 'javascript' ? 'javascript\0' : '';
    return createHash('sha256')
      .update(`${ENTRY_FORMAT}\0${TOKENIZER_VERSION}\0${shikiVersion}\0${THEMES.light}\0${THEMES.dark}\0${engine}`)
      .update(JSON.stringify(request))
      .digest('hex');
  }

  private file(key: string): string {
    return path.join(this.dir!, key.slice(0, 2), `${key.slice(2)}.json`);
  }

  /**
   * The cached highlighting, or undefined; registers the entry's classes for the stylesheet. An
   * entry whose bytes are not those written (sealed-json.ts) is recorded in `damaged` and highlighted again.
   */
  async get(key: string): Promise<HighlightedFile | undefined> {
    if (!this.dir) return undefined;
    const text = await readFile(this.file(key), 'utf8').catch(() => undefined);
    // Missing: not highlighted yet (entries are written whole, by rename).
    if (text === undefined) return undefined;
    const unsealed = unsealJson(text);
    if (unsealed.kind === 'damaged') {
      this.damaged.push(path.relative(path.dirname(this.dir), this.file(key)));
      return undefined;
    }
    const entry = JSON.parse(unsealed.json) as CacheEntry;
    registerClasses(entry.classes);
    return entry.lines;
  }

  /** Entries found damaged (paths relative to the cache's parent folder, e.g. `highlight/ab/cd….json`); each is highlighted and written again. */
  readonly damaged: string[] = [];

  async set(key: string, lines: HighlightedFile): Promise<void> {
    if (!this.dir) return;
    const used = usedClassNames(lines);
    const classes = classesUsed().filter((cls) => used.has(cls.name));
    const file = this.file(key);
    await mkdir(path.dirname(file), { recursive: true });
    // Write then rename, so a reader never sees half an entry; two branches may carry the same
    // file, so each write needs its own temporary name.
    const temporary = `${file}.${process.pid}.${++temporaryCount}.tmp`;
    await writeFile(temporary, sealJson(JSON.stringify({ lines, classes } satisfies CacheEntry)));
    await rename(temporary, file);
  }
}

let temporaryCount = 0;

function usedClassNames(lines: HighlightedFile): Set<string> {
  const names = new Set<string>();
  for (const hunk of lines) for (const line of hunk) for (const match of line.matchAll(/class=(k\w+)>/g)) names.add(match[1]!);
  return names;
}
