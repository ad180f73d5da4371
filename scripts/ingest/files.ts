import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** File I/O of ingest and import: every write lands whole (temporary file, then rename). */

export async function readTextIfExists(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw error;
  }
}

export async function listNames(dir: string): Promise<string[]> {
  try {
    return (await readdir(dir)).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

let sequence = 0;

/** Writes `text` to a temporary file near `file` and renames it over: a reader never sees half a file. */
export async function writeFileAtomic(file: string, text: string): Promise<void> {
  await writeAtomicWith(file, (temporary) => writeFile(temporary, text));
}

/** The same for a file written some other way (a stream): `writeTo` fills the temporary file. */
export async function writeAtomicWith(file: string, writeTo: (temporary: string) => Promise<void>): Promise<void> {
  const dir = path.dirname(file);
  await mkdir(dir, { recursive: true });
  // Every name in steps/ must be a step, so a temporary file left by a killed run would break
  // the build there; one level up, beside branch.md, the build ignores it.
  const temporaryDir = path.basename(dir) === 'steps' ? path.dirname(dir) : dir;
  const temporary = path.join(temporaryDir, `.${path.basename(file)}.${process.pid}.${sequence++}.tmp`);
  try {
    await writeTo(temporary);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await rename(temporary, file);
}

export async function removeFile(file: string): Promise<void> {
  await rm(file, { force: true });
}

/** The files of a branch folder that ingest knows about: branch.md, diff.patch, ci.yaml and steps/*. */
export async function readBranchFolder(dir: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  const names = ['branch.md', 'diff.patch', 'ci.yaml', ...(await listNames(path.join(dir, 'steps'))).filter((n) => !n.startsWith('.')).map((n) => `steps/${n}`)];
  const texts = await Promise.all(names.map((name) => readTextIfExists(path.join(dir, name))));
  names.forEach((name, i) => {
    if (texts[i] !== undefined) files.set(name, texts[i]);
  });
  return files;
}

/** Branch folders under `<content>/branches`, by id; names that are not `<id>-<name>` are skipped. */
export async function listBranchFolders(contentDir: string): Promise<Map<string, number>> {
  const folders = new Map<string, number>();
  for (const name of await listNames(path.join(contentDir, 'branches'))) {
    const match = /^(\d+)-./.exec(name);
    if (match) folders.set(name, Number(match[1]));
  }
  return folders;
}

/** Writes only when the text differs, so an unchanged file keeps its modification time. */
export async function writeFileIfChanged(file: string, text: string): Promise<boolean> {
  if ((await readTextIfExists(file)) === text) return false;
  await writeFileAtomic(file, text);
  return true;
}
