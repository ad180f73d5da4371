import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from 'vitest';

const made: string[] = [];

/**
 * A fresh folder in the system's temporary folder, removed once the test file's tests are done:
 * a build test leaves whole sites behind, and `npm test` run every day must not fill the disk.
 * Set KEEP_TEST_DIRS=1 to keep them for a look after a failure.
 */
export async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

// Each test file loads its own copy of this module, so this runs after that file's tests.
afterAll(async () => {
  const dirs = made.splice(0);
  if (!process.env.KEEP_TEST_DIRS) await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
});
