/**
 * Synthetic source code for the benchmark corpus: real-looking files in several languages, made
 * from a seeded random source so every run of `npm run bench` measures the same bytes. The shapes
 * that cost a highlighter most are all here: doc comments, block comments, multi-line strings,
 * generics, string interpolation, nested blocks.
 */

/** A small, fast, seedable PRNG (mulberry32). */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)]!;
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  /** A heavy-tailed size: most values small, a few very large (log-normal), like real branch sizes. */
  logNormal(median: number, spread: number): number {
    const u = Math.max(this.next(), 1e-9);
    const v = this.next();
    const normal = Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    return median * Math.exp(spread * normal);
  }
}

const NOUNS = ['frame', 'reading', 'station', 'buffer', 'session', 'record', 'batch', 'tide', 'sensor', 'window', 'report', 'client', 'config', 'event', 'queue', 'cache', 'channel', 'index', 'span', 'token'];
const VERBS = ['parse', 'decode', 'load', 'store', 'flush', 'merge', 'render', 'apply', 'check', 'resolve', 'collect', 'update', 'emit', 'encode', 'open', 'close'];
const WORDS = ['the', 'value', 'is', 'kept', 'until', 'next', 'call', 'so', 'we', 'never', 'read', 'twice', 'when', 'empty', 'returns', 'early', 'because', 'order', 'matters', 'here'];

function camel(random: Random): string {
  const noun = random.pick(NOUNS);
  return `${random.pick(VERBS)}${noun[0]!.toUpperCase()}${noun.slice(1)}`;
}
function snake(random: Random): string {
  return `${random.pick(VERBS)}_${random.pick(NOUNS)}`;
}
function type(random: Random): string {
  const noun = random.pick(NOUNS);
  return `${noun[0]!.toUpperCase()}${noun.slice(1)}${random.pick(['', 'Info', 'State', 'Options', 'Error'])}`;
}
function sentence(random: Random, min = 4, max = 12): string {
  const words = Array.from({ length: random.int(min, max) }, () => random.pick(WORDS)).join(' ');
  return `${words[0]!.toUpperCase()}${words.slice(1)}.`;
}

type BlockMaker = (random: Random) => string[];

const typescript: BlockMaker[] = [
  (r) => [`import { ${camel(r)}, type ${type(r)} } from './${r.pick(NOUNS)}.ts';`],
  (r) => {
    const name = camel(r);
    const body = Array.from({ length: r.int(2, 10) }, () => r.pick([
      `  const ${r.pick(NOUNS)} = await ${camel(r)}(${r.pick(NOUNS)}, { limit: ${r.int(1, 500)} });`,
      `  if (!${r.pick(NOUNS)}) throw new Error(\`${sentence(r, 3, 6)} \${${r.pick(NOUNS)}.id}\`);`,
      `  for (const item of ${r.pick(NOUNS)}s) ${r.pick(NOUNS)}.push(item.${r.pick(NOUNS)});`,
      `  // ${sentence(r)}`,
      `  return ${r.pick(NOUNS)}.map((x) => x.${r.pick(NOUNS)} ?? ${r.int(0, 9)});`,
    ]));
    return [`/**`, ` * ${sentence(r)}`, ` * @param ${r.pick(NOUNS)} ${sentence(r, 3, 6)}`, ` */`, `export async function ${name}(${r.pick(NOUNS)}: ${type(r)}, options: ${type(r)} = {}): Promise<${type(r)}[]> {`, ...body, `}`, ``];
  },
  (r) => [`export interface ${type(r)} {`, ...Array.from({ length: r.int(2, 7) }, () => `  ${r.pick(NOUNS)}${r.chance(0.3) ? '?' : ''}: ${r.pick(['string', 'number', 'boolean', type(r), `${type(r)}[]`])};`), `}`, ``],
  (r) => [`const template = \``, `  <section class="${r.pick(NOUNS)}">`, `    \${${r.pick(NOUNS)}.title}`, `  </section>\`;`, ``],
];

const rust: BlockMaker[] = [
  (r) => [`use crate::${r.pick(NOUNS)}::{${type(r)}, ${type(r)}};`],
  (r) => {
    const body = Array.from({ length: r.int(2, 10) }, () => r.pick([
      `    let ${r.pick(NOUNS)} = self.${snake(r)}(&${r.pick(NOUNS)})?;`,
      `    if ${r.pick(NOUNS)}.len() < ${r.int(2, 64)} {`,
      `        return Err(Error::${type(r)}(format!("${sentence(r, 2, 5)} {}", ${r.pick(NOUNS)})));`,
      `    }`,
      `    // ${sentence(r)}`,
      `    ${r.pick(NOUNS)}.iter().map(|x| x.${r.pick(NOUNS)} as u${r.pick([8, 16, 32, 64])}).sum::<u64>();`,
    ]));
    return [`/// ${sentence(r)}`, `/// ${sentence(r)}`, `pub fn ${snake(r)}(&mut self, ${r.pick(NOUNS)}: &[u8]) -> Result<${type(r)}, Error> {`, ...body, `    Ok(${type(r)}::default())`, `}`, ``];
  },
  (r) => [`#[derive(Debug, Clone, PartialEq)]`, `pub struct ${type(r)} {`, ...Array.from({ length: r.int(2, 6) }, () => `    pub ${r.pick(NOUNS)}: ${r.pick(['u32', 'String', 'Vec<u8>', 'Option<i64>', type(r)])},`), `}`, ``],
  (r) => [`const HELP: &str = r#"`, `${sentence(r)}`, `${sentence(r)}`, `"#;`, ``],
];

const python: BlockMaker[] = [
  (r) => [`from .${r.pick(NOUNS)} import ${type(r)}, ${snake(r)}`],
  (r) => [
    `def ${snake(r)}(${r.pick(NOUNS)}, ${r.pick(NOUNS)}=None):`,
    `    """${sentence(r)}`,
    ``,
    `    ${sentence(r)}`,
    `    """`,
    ...Array.from({ length: r.int(2, 8) }, () => r.pick([
      `    if ${r.pick(NOUNS)} is None:`,
      `        ${r.pick(NOUNS)} = ${snake(r)}(${r.pick(NOUNS)}, limit=${r.int(1, 99)})`,
      `    # ${sentence(r)}`,
      `    return [x.${r.pick(NOUNS)} for x in ${r.pick(NOUNS)}s if x]`,
      `    log.info(f"${sentence(r, 2, 4)} {${r.pick(NOUNS)}!r}")`,
    ])),
    ``,
  ],
  (r) => [`class ${type(r)}:`, `    ${r.pick(NOUNS)}: int = ${r.int(0, 100)}`, ``, `    def ${snake(r)}(self):`, `        return self.${r.pick(NOUNS)} * ${r.int(2, 9)}`, ``],
];

const go: BlockMaker[] = [
  (r) => [`// ${type(r)} ${sentence(r)}`, `func (s *${type(r)}) ${type(r)}(ctx context.Context, ${r.pick(NOUNS)} []byte) (*${type(r)}, error) {`, ...Array.from({ length: r.int(2, 8) }, () => r.pick([
    `\tif err := s.${camel(r)}(ctx); err != nil {`,
    `\t\treturn nil, fmt.Errorf("${sentence(r, 2, 5)}: %w", err)`,
    `\t}`,
    `\t${r.pick(NOUNS)} := make([]${type(r)}, 0, ${r.int(1, 64)})`,
    `\t/* ${sentence(r)} */`,
  ])), `\treturn &${type(r)}{}, nil`, `}`, ``],
  (r) => [`type ${type(r)} struct {`, ...Array.from({ length: r.int(2, 6) }, () => `\t${type(r)} ${r.pick(['string', 'int64', '[]byte', 'time.Time'])} \`json:"${r.pick(NOUNS)}"\``), `}`, ``],
];

const kotlin: BlockMaker[] = [
  (r) => [`/**`, ` * ${sentence(r)}`, ` */`, `suspend fun ${camel(r)}(${r.pick(NOUNS)}: ${type(r)}): List<${type(r)}> {`, ...Array.from({ length: r.int(2, 7) }, () => r.pick([
    `    val ${r.pick(NOUNS)} = ${r.pick(NOUNS)}.${camel(r)}(limit = ${r.int(1, 99)})`,
    `    require(${r.pick(NOUNS)}.isNotEmpty()) { "${sentence(r, 2, 5)} \${${r.pick(NOUNS)}.size}" }`,
    `    // ${sentence(r)}`,
  ])), `    return ${r.pick(NOUNS)}s.filter { it.${r.pick(NOUNS)} > ${r.int(0, 9)} }`, `}`, ``],
  (r) => [`data class ${type(r)}(`, ...Array.from({ length: r.int(2, 5) }, () => `    val ${r.pick(NOUNS)}: ${r.pick(['String', 'Int', 'Long?', type(r)])},`), `)`, ``],
];

const swift: BlockMaker[] = [
  (r) => [`/// ${sentence(r)}`, `func ${camel(r)}(_ ${r.pick(NOUNS)}: ${type(r)}) throws -> [${type(r)}] {`, ...Array.from({ length: r.int(2, 7) }, () => r.pick([
    `    guard let ${r.pick(NOUNS)} = ${r.pick(NOUNS)}.${camel(r)}() else { return [] }`,
    `    let message = "${sentence(r, 2, 4)} \\(${r.pick(NOUNS)}.count)"`,
    `    // ${sentence(r)}`,
  ])), `    return ${r.pick(NOUNS)}s.map { $0.${r.pick(NOUNS)} }`, `}`, ``],
  (r) => [`struct ${type(r)}: Codable {`, ...Array.from({ length: r.int(2, 5) }, () => `    var ${r.pick(NOUNS)}: ${r.pick(['String', 'Int', 'Double?', type(r)])}`), `}`, ``],
];

const yaml: BlockMaker[] = [
  (r) => [`${r.pick(NOUNS)}:`, ...Array.from({ length: r.int(2, 8) }, () => r.pick([
    `  ${r.pick(NOUNS)}: ${r.int(1, 900)}`,
    `  ${r.pick(NOUNS)}: "${sentence(r, 2, 4)}"`,
    `  # ${sentence(r)}`,
    `  - name: ${snake(r)}`,
    `    run: ./scripts/${snake(r)}.sh --${r.pick(NOUNS)} ${r.int(1, 9)}`,
  ]))],
];

/** Languages by extension, weighted toward the mix of a typical application repository. */
export const LANGUAGES: Array<{ extension: string; weight: number; blocks: BlockMaker[] }> = [
  { extension: 'ts', weight: 5, blocks: typescript },
  { extension: 'rs', weight: 5, blocks: rust },
  { extension: 'kt', weight: 3, blocks: kotlin },
  { extension: 'swift', weight: 3, blocks: swift },
  { extension: 'py', weight: 2, blocks: python },
  { extension: 'go', weight: 2, blocks: go },
  { extension: 'yaml', weight: 2, blocks: yaml },
];

export function pickLanguage(random: Random): (typeof LANGUAGES)[number] {
  const total = LANGUAGES.reduce((sum, l) => sum + l.weight, 0);
  let point = random.next() * total;
  for (const language of LANGUAGES) {
    point -= language.weight;
    if (point < 0) return language;
  }
  return LANGUAGES[0]!;
}

/** Lines of a block of code in the language (a function, a type, a comment, ...). */
export function codeBlock(random: Random, blocks: BlockMaker[]): string[] {
  return random.pick(blocks)(random);
}

/** A whole file of about `lines` lines. */
export function sourceFile(random: Random, blocks: BlockMaker[], lines: number): string[] {
  const out: string[] = [];
  while (out.length < lines) out.push(...codeBlock(random, blocks));
  return out;
}

/** A plausible edit of one line: a renamed identifier or a changed number, so word-level diffs have work. */
export function editLine(random: Random, line: string): string {
  if (/\d+/.test(line) && random.chance(0.5)) return line.replace(/\d+/, String(random.int(0, 999)));
  const words = line.match(/[A-Za-z_]\w{2,}/g);
  if (words?.length) return line.replace(random.pick(words), random.pick([...NOUNS, ...VERBS]));
  return `${line} // ${random.pick(WORDS)}`;
}
