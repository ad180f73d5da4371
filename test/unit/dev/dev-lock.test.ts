import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { devLockFile, takeDevLock } from '../../../scripts/dev/dev-lock.ts';
import { tempDir } from '../../support/temp-dir.ts';

/** The pid of a process that has exited: nothing runs under it now. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

const lockModule = path.resolve('scripts/dev/dev-lock.ts');

/**
 * A separate process that says it is ready, tries to take the dev lock of `root` once a start file
 * appears, prints what it got, and holds it until a stop file appears: on a loaded machine a
 * contender may start seconds after another, and must still find the lock taken.
 */
function contender(root: string, start: string, stop: string): { ready: Promise<void>; answer: Promise<string>; exited: Promise<void> } {
  const script = `
    import { existsSync } from 'node:fs';
    import { takeDevLock } from ${JSON.stringify(lockModule)};
    process.stdout.write('ready;');
    while (!existsSync(${JSON.stringify(start)})) await new Promise((resolve) => setTimeout(resolve, 1));
    const lock = takeDevLock(${JSON.stringify(root)});
    process.stdout.write(('release' in lock ? 'took' : 'heldBy' in lock ? 'held' : lock.problem) + ';');
    while (!existsSync(${JSON.stringify(stop)})) await new Promise((resolve) => setTimeout(resolve, 5));
  `;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  const said = (count: number) =>
    new Promise<string[]>((resolve, reject) => {
      const check = () => {
        const words = out.split(';').filter(Boolean);
        if (words.length >= count) resolve(words);
      };
      child.stdout.on('data', check);
      child.on('error', reject);
      child.on('exit', () => reject(new Error(`contender exited having said only "${out}"`)));
    });
  return {
    ready: said(1).then(() => undefined),
    answer: said(2).then((words) => words[1]!),
    exited: new Promise((resolve) => child.on('exit', () => resolve())),
  };
}

describe('the dev server lock', () => {
  it('is taken by one dev server; a second one is told the pid that holds it', async () => {
    const root = await tempDir('ra-dev-lock-');
    const first = takeDevLock(root);
    expect('release' in first).toBe(true);
    expect(JSON.parse(await readFile(devLockFile(root), 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    expect(takeDevLock(root)).toEqual({ heldBy: process.pid });
    if ('release' in first) first.release();
    expect(existsSync(devLockFile(root))).toBe(false);
  });

  it('is won by exactly one of several dev servers starting at the same moment', async () => {
    const root = await tempDir('ra-dev-lock-');
    const start = path.join(root, 'go');
    const stop = path.join(root, 'stop');
    const contenders = Array.from({ length: 4 }, () => contender(root, start, stop));
    // Every contender is up and polling before the start file is written.
    await Promise.all(contenders.map((c) => c.ready));
    await writeFile(start, '');
    const answers = await Promise.all(contenders.map((c) => c.answer));
    await writeFile(stop, '');
    await Promise.all(contenders.map((c) => c.exited));
    expect(answers.sort()).toEqual(['held', 'held', 'held', 'took']);
  }, 60_000);

  it('takes over the lock of a dev server that was killed, and says so', async () => {
    const root = await tempDir('ra-dev-lock-');
    const pid = deadPid();
    await mkdir(path.dirname(devLockFile(root)), { recursive: true });
    await writeFile(devLockFile(root), JSON.stringify({ pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const lock = takeDevLock(root);
    expect(lock).toMatchObject({ note: `a stale lock on the dev content store of ${root} was left by npm run dev pid ${pid} (started 2026-01-01T00:00:00.000Z), which is no longer running; it was removed` });
    if ('release' in lock) lock.release();
  });
});
