import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { BOB, type Person, type TestRepo } from './git-repo.ts';

/**
 * The forge fixtures (test/fixtures/github/export, test/fixtures/gitlab/export) name commits by
 * placeholders such as `{{HEAD_41}}`, in file contents and folder names; `materializeExport`
 * copies one with real shas filled in (from a repository `buildTideClockRepo` made, or fake
 * ones) and adds the binary files a fixture cannot hold as text: the Actions logs zips.
 */

export type Shas = Record<string, string>;

const CAROL: Person = { name: 'Carol Example', email: 'carol@example.org' };

const TIDE_V0 = `export interface Tide {
  height: number;
  at: Date;
  legacyOffset: number;
}

export function nextTide(now: Date): Tide {
  return { height: 1.2, at: new Date(now.getTime() + 6 * 3600_000), legacyOffset: 0 };
}

export const TIDES_PER_DAY = 2;
export const VERSION = '0.1.0';
`;

const TIDE_V1 = TIDE_V0.replace('  legacyOffset: number;\n', '').replace(', legacyOffset: 0 }', ' }');

const MOON_FIRST = `export type MoonPhase = 'new' | 'first-quarter' | 'full' | 'last-quarter';

export function phaseOf(date: Date): MoonPhase {
  const days = (date.getTime() / 86_400_000) % 29.53;
  return days < 7.4 ? 'new' : days < 14.8 ? 'first-quarter' : days < 22.1 ? 'full' : 'last-quarter';
}

// TODO: eclipses
export const ECLIPSES = [];
`;

const MOON_FINAL = MOON_FIRST.slice(0, MOON_FIRST.indexOf('\n// TODO'));

/**
 * The history the fixtures describe: #41 merged with a merge commit (two pushes), #42
 * squash-merged, #43's head never reached this clone (force-pushed away), #44 an open draft.
 */
export async function buildTideClockRepo(repo: TestRepo): Promise<Shas> {
  const shas: Shas = {};
  await repo.write({ 'src/tide.ts': TIDE_V0, 'README.md': '# Tide clock\n' });
  await repo.commit('Start the tide clock');
  shas.BASE_41 = await repo.sha();
  shas.BASE_43 = shas.BASE_41;
  await repo.switchTo('feature/moon-phase');
  await repo.write({ 'src/moon.ts': MOON_FIRST });
  shas.HEAD1_41 = await repo.commit('Add moon phases');
  await repo.write({ 'src/moon.ts': `${MOON_FINAL}\n`, 'src/tide.ts': TIDE_V1 });
  shas.HEAD_41 = await repo.commit('Trim moon phases, drop the legacy offset');
  await repo.switchTo('master');
  shas.MERGE_41 = await repo.merge('feature/moon-phase', 'Merge pull request #41 from wrenworks/feature/moon-phase\n\nMoon phases beside the tides');
  shas.BASE_42 = shas.MERGE_41;
  await repo.switchTo('fix/leap-seconds');
  await repo.write({ 'src/tide.ts': TIDE_V1.replace("'0.1.0'", "'0.1.1'") });
  shas.HEAD_42 = await repo.commit('Handle leap seconds', BOB);
  await repo.switchTo('master');
  shas.SQUASH_42 = await repo.squashMerge('fix/leap-seconds', 'Handle leap seconds (#42)', BOB);
  await repo.git('branch', '-D', 'fix/leap-seconds');
  await repo.git('branch', '-D', 'feature/moon-phase');
  shas.BASE_44 = shas.SQUASH_42;
  await repo.switchTo('draft/ui');
  await repo.write({ 'src/dial.ts': 'export const DIAL_RADIUS = 120;\n' });
  shas.HEAD_44 = await repo.commit('Sketch the dial', CAROL);
  await repo.switchTo('master');
  return shas;
}

/** Stand-in shas for tests that need no repository: 40 hex digits derived from the name. */
export function fakeShas(names: readonly string[]): Shas {
  return Object.fromEntries(
    names.map((name, index) => [name, `${(index + 1).toString(16).padStart(4, '0')}${Buffer.from(name).toString('hex')}`.padEnd(40, 'a').slice(0, 40)]),
  );
}

export const FIXTURE_SHA_NAMES = ['BASE_41', 'BASE_43', 'HEAD1_41', 'HEAD_41', 'MERGE_41', 'BASE_42', 'HEAD_42', 'SQUASH_42', 'BASE_44', 'HEAD_44'];

function fill(text: string, shas: Shas): string {
  return text.replace(/\{\{([A-Z0-9_]+)\}\}/g, (whole, name: string) => shas[name] ?? whole);
}

/** Copies a fixture export to `to`, placeholders filled in; GitHub exports get their logs zips. */
export async function materializeExport(from: string, to: string, shas: Shas): Promise<void> {
  const copy = async (source: string, target: string) => {
    await mkdir(target, { recursive: true });
    for (const entry of await readdir(source, { withFileTypes: true })) {
      const next = path.join(target, fill(entry.name, shas));
      if (entry.isDirectory()) await copy(path.join(source, entry.name), next);
      else await writeFile(next, fill(await readFile(path.join(source, entry.name), 'utf8'), shas));
    }
  };
  await copy(from, to);
  const runs = path.join(to, 'actions', 'runs');
  const present = await readdir(runs).catch(() => [] as string[]);
  if (present.includes('9000')) await writeFile(path.join(runs, '9000', 'logs.zip'), firstRunZip());
  if (present.includes('9001')) await writeFile(path.join(runs, '9001', 'logs.zip'), secondRunZip());
}

const STAMP = '2026-01-05T12:01:05.1234567Z';

/** Run 9000 (the first push): one whole file per job, as current GitHub zips have. */
export function firstRunZip(): Uint8Array {
  return zipSync({
    '0_test (node 22).txt': strToU8(
      [
        `${STAMP} ##[group]Run npm test`,
        `${STAMP} \u001b[36;1mnpm test\u001b[0m`,
        `${STAMP} ##[endgroup]`,
        `${STAMP} FAIL test/moon.test.ts > phaseOf > full moon`,
        `${STAMP} AssertionError: expected 'first-quarter' to be 'full'`,
        `${STAMP} ##[error]Process completed with exit code 1.`,
        '',
      ].join('\n'),
    ),
    '1_lint.txt': strToU8(`${STAMP} ##[error]The operation was canceled.\n`),
    '-2147483648_test (node 22).txt': strToU8('runner system log: not a job log\n'),
  });
}

/** Run 9001 (the second push): the test job only as per-step files in a folder. */
export function secondRunZip(): Uint8Array {
  return zipSync({
    'test (node 22)/1_Set up job.txt': strToU8(`${STAMP} Current runner version: '2.321.0'\n`),
    'test (node 22)/2_Run npm test.txt': strToU8(`${STAMP} Test Files  3 passed (3)\n${STAMP}      Tests  24 passed (24)\n`),
    '1_deploy preview.txt': strToU8(`${STAMP} Skipped: not the default branch\n`),
  });
}
