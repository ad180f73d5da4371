import { spawn } from 'node:child_process';
import { mkdir } from 'node:fs/promises';

/**
 * A repository with a long, realistic-looking review history for the ingest benchmark, written
 * as one `git fast-import` stream (thousands of commits in about a second). Branches edit code
 * in several languages, rename files and change binary files, and land on `master` in every
 * merge style ingest recognises. Deterministic: the same options give the same repository.
 */
export interface SyntheticOptions {
  /** Branches merged into master. */
  merges: number;
  /** Branches left open (half local, half remote-tracking). */
  open: number;
  seed?: number;
}

export interface SyntheticSummary {
  commits: number;
  merges: number;
  open: number;
}

type Random = () => number;

/** mulberry32: a small seeded generator, so the repository is the same on every run. */
function seeded(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = ['tide', 'harbour', 'ledger', 'parser', 'cache', 'token', 'route', 'widget', 'queue', 'render', 'session', 'index', 'budget', 'sensor', 'report', 'filter', 'buffer', 'schema', 'client', 'metric'];
const VERBS = ['load', 'save', 'merge', 'split', 'count', 'check', 'build', 'format', 'resolve', 'update'];

interface Language {
  extension: string;
  dir: string;
  fn(name: string, body: string[]): string[];
  statement(random: Random): string;
}

const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const identifier = (random: Random) => `${pick(random, VERBS)}${pick(random, WORDS).replace(/^./, (c) => c.toUpperCase())}`;

const LANGUAGES: Language[] = [
  {
    extension: 'ts',
    dir: 'src',
    fn: (name, body) => [`export function ${name}(input: string[]): number {`, ...body.map((l) => `  ${l}`), '}', ''],
    statement: (r) => pick(r, [`const ${pick(r, WORDS)} = input.length * ${Math.floor(r() * 100)};`, `if (input.includes('${pick(r, WORDS)}')) return ${Math.floor(r() * 9)};`, `input.sort((a, b) => a.localeCompare(b));`, `console.debug('${pick(r, VERBS)} ${pick(r, WORDS)}');`]),
  },
  {
    extension: 'py',
    dir: 'tools',
    fn: (name, body) => [`def ${name}(items):`, `    """${name.replace(/([A-Z])/g, ' $1').toLowerCase()}."""`, ...body.map((l) => `    ${l}`), '', ''],
    statement: (r) => pick(r, [`${pick(r, WORDS)} = len(items) * ${Math.floor(r() * 100)}`, `items = sorted(items)`, `if "${pick(r, WORDS)}" in items:\n        return ${Math.floor(r() * 9)}`, `print("${pick(r, VERBS)} ${pick(r, WORDS)}")`]),
  },
  {
    extension: 'go',
    dir: 'server',
    fn: (name, body) => [`func ${name}(items []string) int {`, ...body.map((l) => `\t${l}`), '\treturn len(items)', '}', ''],
    statement: (r) => pick(r, [`${pick(r, WORDS)} := len(items) * ${Math.floor(r() * 100)}`, `sort.Strings(items)`, `log.Printf("${pick(r, VERBS)} %d", len(items))`, `items = append(items, "${pick(r, WORDS)}")`]),
  },
  {
    extension: 'md',
    dir: 'docs',
    fn: (name, body) => [`## ${name}`, '', ...body, ''],
    statement: (r) => `The ${pick(r, WORDS)} ${pick(r, VERBS)}s every ${pick(r, WORDS)} before the ${pick(r, WORDS)} is ${pick(r, ['ready', 'stale', 'shared', 'closed'])}.`,
  },
];

/** The file tree as it evolves: path → lines (text) or bytes (binary). */
type Tree = Map<string, string[] | Uint8Array>;

class StreamWriter {
  readonly parts: Buffer[] = [];
  private mark = 0;
  private readonly blobMarks = new Map<string, number>();

  blob(content: string[] | Uint8Array): number {
    const data = content instanceof Uint8Array ? Buffer.from(content) : Buffer.from(content.join('\n') + '\n');
    const key = data.toString('base64');
    const known = this.blobMarks.get(key);
    if (known) return known;
    const mark = ++this.mark;
    this.parts.push(Buffer.from(`blob\nmark :${mark}\ndata ${data.length}\n`), data, Buffer.from('\n'));
    this.blobMarks.set(key, mark);
    return mark;
  }

  commit(options: { ref: string; from?: number; merge?: number; message: string; author: string; time: number; changes: Array<[string, number | null]> }): number {
    const mark = ++this.mark;
    const message = Buffer.from(options.message);
    const who = `${options.author} <${options.author.toLowerCase().replace(/ /g, '.')}@example.org> ${options.time} +0000`;
    const lines = [`commit ${options.ref}`, `mark :${mark}`, `author ${who}`, `committer ${who}`, `data ${message.length}`];
    this.parts.push(Buffer.from(`${lines.join('\n')}\n`), message, Buffer.from('\n'));
    const tail: string[] = [];
    if (options.from) tail.push(`from :${options.from}`);
    if (options.merge) tail.push(`merge :${options.merge}`);
    for (const [path, blob] of options.changes) tail.push(blob === null ? `D ${path}` : `M 100644 :${blob} ${path}`);
    this.parts.push(Buffer.from(`${tail.join('\n')}\n\n`));
    return mark;
  }

  reset(ref: string, from: number): void {
    this.parts.push(Buffer.from(`reset ${ref}\nfrom :${from}\n\n`));
  }
}

const AUTHORS = ['Ada Lovelace', 'Grace Hopper', 'Alan Kay', 'Barbara Liskov', 'Ken Thompson', 'Radia Perlman', 'Edsger Dijkstra', 'Frances Allen'];

/** Builds the fast-import stream. Pure (given the seed). */
export function syntheticHistory(options: SyntheticOptions): { stream: Buffer; summary: SyntheticSummary } {
  const random = seeded(options.seed ?? 7);
  const writer = new StreamWriter();
  const tree: Tree = new Map();
  let time = Date.UTC(2024, 0, 1) / 1000;
  let commits = 0;
  const tick = () => (time += 600 + Math.floor(random() * 7200));

  for (let i = 0; i < 40; i++) {
    const language = LANGUAGES[i % LANGUAGES.length]!;
    const lines = Array.from({ length: 4 + Math.floor(random() * 6) }, () => language.fn(identifier(random), Array.from({ length: 3 + Math.floor(random() * 6) }, () => language.statement(random)))).flat();
    tree.set(`${language.dir}/${pick(random, WORDS)}-${i}.${language.extension}`, lines);
  }
  tree.set('assets/logo.png', randomBytes(random, 600));
  let master = writer.commit({ ref: 'refs/heads/master', message: 'Initial commit\n', author: AUTHORS[0]!, time: tick(), changes: [...tree].map(([path, content]) => [path, writer.blob(content)]) });
  commits++;

  const branchWork = (ref: string, from: number): { tip: number; changes: Map<string, number | null>; title: string; author: string } => {
    const author = pick(random, AUTHORS);
    const changes = new Map<string, number | null>();
    let tip = from;
    const commitCount = 1 + Math.floor(random() * 3);
    let title = '';
    for (let c = 0; c < commitCount; c++) {
      const touched = editTree(random, tree);
      for (const [path, content] of touched) changes.set(path, content === null ? null : writer.blob(content));
      title = `${pick(random, ['Teach', 'Let', 'Make', 'Allow'])} the ${pick(random, WORDS)} ${pick(random, VERBS)} its ${pick(random, WORDS)}s`;
      tip = writer.commit({ ref, from: tip, message: `${title}\n`, author, time: tick(), changes: [...touched].map(([path, content]) => [path, content === null ? null : changes.get(path)!]) });
      commits++;
    }
    return { tip, changes, title, author };
  };

  for (let n = 1; n <= options.merges; n++) {
    const name = `${pick(random, ['feature', 'fix', 'chore', 'docs'])}/${pick(random, WORDS)}-${n}`;
    const style = n % 10;
    const work = branchWork('refs/heads/bench-scratch', master);
    const number = 1000 + n;
    const message =
      style < 5
        ? `Merge pull request #${number} from acme/${name}\n\n${work.title}\n\nReviewed in the team channel.\n`
        : style < 7
          ? `Merge branch '${name}'\n`
          : style < 8
            ? `Merge remote-tracking branch 'origin/${name}'\n`
            : `${work.title} (#${number})\n\n* ${work.title}\n`;
    const squash = style >= 8;
    master = writer.commit({
      ref: 'refs/heads/master',
      from: master,
      merge: squash ? undefined : work.tip,
      message,
      author: squash ? work.author : AUTHORS[1]!,
      time: tick(),
      changes: [...work.changes],
    });
    commits++;
  }

  for (let n = 1; n <= options.open; n++) {
    const name = `wip/${pick(random, WORDS)}-${n}`;
    const ref = n % 2 ? `refs/heads/${name}` : `refs/remotes/origin/${name}`;
    // Open work must not leak into master: edit a copy of the tree and throw it away after.
    const saved = new Map(tree);
    branchWork(ref, master);
    tree.clear();
    for (const [path, content] of saved) tree.set(path, content);
  }
  writer.reset('refs/heads/master', master);
  return { stream: Buffer.concat(writer.parts), summary: { commits, merges: options.merges, open: options.open } };
}

/** Changes a few files of `tree` in place; returns what changed (null = deleted). */
function editTree(random: Random, tree: Tree): Map<string, string[] | Uint8Array | null> {
  const touched = new Map<string, string[] | Uint8Array | null>();
  const paths = [...tree.keys()].filter((path) => !path.endsWith('.png'));
  const roll = random();
  if (roll < 0.05) {
    const from = pick(random, paths);
    const language = LANGUAGES.find((l) => from.endsWith(`.${l.extension}`))!;
    const to = `${language.dir}/${pick(random, WORDS)}-${Math.floor(random() * 1e6)}.${language.extension}`;
    const content = tree.get(from) as string[];
    tree.delete(from);
    tree.set(to, [...content, ...language.fn(identifier(random), [language.statement(random)])]);
    touched.set(from, null);
    touched.set(to, tree.get(to)!);
    return touched;
  }
  if (roll < 0.08) {
    const bytes = randomBytes(random, 300 + Math.floor(random() * 900));
    tree.set('assets/logo.png', bytes);
    touched.set('assets/logo.png', bytes);
  }
  if (roll > 0.9) {
    const language = pick(random, LANGUAGES);
    const path = `${language.dir}/${pick(random, WORDS)}-${Math.floor(random() * 1e6)}.${language.extension}`;
    const lines = Array.from({ length: 2 + Math.floor(random() * 4) }, () => language.fn(identifier(random), Array.from({ length: 4 }, () => language.statement(random)))).flat();
    tree.set(path, lines);
    touched.set(path, lines);
  }
  const edits = 1 + Math.floor(random() * 4);
  for (let e = 0; e < edits; e++) {
    const path = pick(random, paths);
    if (!tree.has(path)) continue;
    const language = LANGUAGES.find((l) => path.endsWith(`.${l.extension}`))!;
    const lines = [...(tree.get(path) as string[])];
    const at = Math.floor(random() * lines.length);
    const kind = random();
    if (kind < 0.5) lines.splice(at, 0, ...language.fn(identifier(random), Array.from({ length: 2 + Math.floor(random() * 12) }, () => language.statement(random))));
    else if (kind < 0.8) for (let k = 0; k < 3 && at + k < lines.length; k++) lines[at + k] = language.statement(random);
    else lines.splice(at, Math.min(6, Math.max(1, lines.length - 10)));
    tree.set(path, lines);
    touched.set(path, lines);
  }
  return touched;
}

function randomBytes(random: Random, length: number): Uint8Array {
  // A PNG signature and a NUL make git treat it as binary.
  return Uint8Array.from({ length }, (_, i) => (i < 8 ? [137, 80, 78, 71, 13, 10, 26, 10][i]! : i === 8 ? 0 : Math.floor(random() * 256)));
}

/** Creates the repository at `dir` (a new folder) from the stream. */
export async function createSyntheticRepo(dir: string, options: SyntheticOptions): Promise<SyntheticSummary> {
  const { stream, summary } = syntheticHistory(options);
  await mkdir(dir, { recursive: true });
  await runGit(dir, ['init', '--quiet', '--initial-branch=master']);
  await runGit(dir, ['fast-import', '--quiet'], stream);
  await runGit(dir, ['update-ref', '-d', 'refs/heads/bench-scratch']);
  await runGit(dir, ['symbolic-ref', 'HEAD', 'refs/heads/master']);
  return summary;
}

function runGit(dir: string, args: string[], stdin?: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd: dir, stdio: [stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`git ${args[0]} failed (${code}): ${stderr}`))));
    if (stdin) child.stdin!.end(stdin);
  });
}
