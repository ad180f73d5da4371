import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireLock } from '../../scripts/build/build-lock.ts';
import { tempDir } from '../support/temp-dir.ts';

/** The pid of a process that has exited: nothing runs under it now. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('the build lock', () => {
  it('is held by one build at a time, and free again once released', async () => {
    const file = path.join(await tempDir('ra-lock-'), 'build.lock');
    const first = acquireLock(file, 'the cache c');
    expect(first.ok).toBe(true);
    expect(JSON.parse(await readFile(file, 'utf8'))).toMatchObject({ pid: process.pid, host: os.hostname() });
    // Another build, as far as the lock can tell: a different pid that is running (the test runner's parent).
    const owner = JSON.parse(await readFile(file, 'utf8'));
    await writeFile(file, JSON.stringify({ ...owner, pid: process.ppid }));
    const second = acquireLock(file, 'the cache c');
    expect(second).toEqual({ ok: false, holder: { ...owner, pid: process.ppid }, message: `another build (pid ${process.ppid}, running since ${owner.started}) is using the cache c. Wait for it to finish, or give this build its own --out and --cache` });
    await writeFile(file, JSON.stringify(owner));
    if (first.ok) first.release();
    expect(existsSync(file)).toBe(false);
    const third = acquireLock(file, 'the cache c');
    expect(third.ok).toBe(true);
    if (third.ok) third.release();
  });

  it('takes over a lock whose build is no longer running, and says so', async () => {
    const file = path.join(await tempDir('ra-lock-'), 'build.lock');
    const pid = deadPid();
    await writeFile(file, JSON.stringify({ pid, host: os.hostname(), started: '2026-01-01T00:00:00.000Z' }));
    const lock = acquireLock(file, 'the output site');
    expect(lock).toMatchObject({ ok: true, note: `a stale lock on the output site was left by build pid ${pid} (started 2026-01-01T00:00:00.000Z), which is no longer running; it was removed` });
    expect(JSON.parse(await readFile(file, 'utf8')).pid).toBe(process.pid);
    if (lock.ok) lock.release();
  });

  it('does not break a lock held on another machine', async () => {
    const file = path.join(await tempDir('ra-lock-'), 'build.lock');
    await writeFile(file, JSON.stringify({ pid: 1, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z' }));
    expect(acquireLock(file, 'the cache c')).toEqual({ ok: false, holder: { pid: 1, host: 'elsewhere', started: '2026-01-01T00:00:00.000Z' }, message: `another build, on elsewhere (pid 1, since 2026-01-01T00:00:00.000Z), is using the cache c. Wait for it to finish; if no build is running there, delete ${file}` });
  });
});
