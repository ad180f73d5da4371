import { spawn } from 'node:child_process';
import { mkdir, readFile, rename, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseJsonValues } from '../import/forge/json-pages.ts';

/**
 * The only network access review-archive has: the forge's own command line (`gh api`,
 * `glab api`), so authentication is the user's existing login and no token passes through us.
 * Answers are saved as they come (raw bytes), each file whole (written beside, then renamed),
 * so an interrupted export resumes where it stopped.
 */

export interface ApiCall {
  /** `gh` or `glab`. */
  cli: string;
  /** Arguments after `api`. */
  args: string[];
}

export type ApiResult = { ok: true; bytes: Buffer } | { ok: false; message: string };

/** Runs `<cli> api ...args` and returns what it printed. */
export function callApi(call: ApiCall): Promise<ApiResult> {
  return new Promise((resolve) => {
    const child = spawn(call.cli, ['api', ...call.args], { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ ok: false, message: error.code === 'ENOENT' ? `${call.cli} is not installed or not on PATH (install the ${call.cli === 'gh' ? 'GitHub CLI, https://cli.github.com' : 'GitLab CLI, https://gitlab.com/gitlab-org/cli'} and log in)` : error.message }),
    );
    child.on('close', (code) => {
      if (code === 0) resolve({ ok: true, bytes: Buffer.concat(out) });
      else resolve({ ok: false, message: (Buffer.concat(err).toString().trim().split('\n')[0] || `exited with status ${code}`).slice(0, 300) });
    });
  });
}

export async function exists(file: string): Promise<boolean> {
  return (await stat(file).catch(() => undefined)) !== undefined;
}

let sequence = 0;

export async function saveWhole(file: string, bytes: Uint8Array | string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${sequence++}.part`);
  await writeFile(temporary, bytes);
  await rename(temporary, file);
}

/** What one export run did, for its summary line and exit code. */
export interface ExportTally {
  fetched: number;
  kept: number;
  failures: string[];
}

/**
 * Fetches into `file` unless it is already there (resuming). A failure is recorded and the
 * export goes on: the next run fetches what is missing.
 * @returns the bytes (fetched or already saved), undefined when the call failed
 */
export async function fetchInto(file: string, call: ApiCall, tally: ExportTally, options: { refresh?: boolean } = {}): Promise<Buffer | undefined> {
  if (!options.refresh && (await exists(file))) {
    tally.kept++;
    return readFile(file);
  }
  const result = await callApi(call);
  if (!result.ok) {
    tally.failures.push(`${call.cli} api ${call.args.map((arg) => (arg.startsWith('query=') ? 'query=…' : arg)).join(' ')}: ${result.message}`);
    return undefined;
  }
  await saveWhole(file, result.bytes);
  tally.fetched++;
  return result.bytes;
}

/** Every item of a saved list, whatever its page form; [] when it does not parse. */
export function itemsOf(bytes: Buffer | undefined, wrapperKey?: string): Array<Record<string, unknown>> {
  if (!bytes) return [];
  const { values } = parseJsonValues({ file: '', text: bytes.toString('utf8') });
  const flat: Array<Record<string, unknown>> = [];
  const visit = (value: unknown) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value && typeof value === 'object') {
      const wrapped = wrapperKey ? (value as Record<string, unknown>)[wrapperKey] : undefined;
      if (Array.isArray(wrapped)) wrapped.forEach(visit);
      else flat.push(value as Record<string, unknown>);
    }
  };
  for (const { value } of values) visit(value);
  return flat;
}

/** Runs `work` over items, `limit` at a time. */
export async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await work(items[next++]!);
    }),
  );
}

/** One pull (merge) request to export: its folder, and the `updated_at` that says whether it changed. */
export interface ExportedRequest {
  folder: string;
  updatedAt: string;
}

/**
 * The loop both forges share: four requests at a time, each re-fetched only when its `updated_at`
 * differs from the one saved in its folder's `.updated` marker. The marker is written only when
 * every call for that request succeeded, so an interrupted or failed export resumes where it left.
 */
export async function exportEachRequest<T>(
  requests: readonly T[],
  describe: (request: T) => ExportedRequest,
  fetchRequest: (request: T, own: ExportTally, refresh: boolean) => Promise<void>,
  tally: ExportTally,
  progress?: { advance(): void; finish(): void },
): Promise<void> {
  await eachLimited(requests, 4, async (request) => {
    const { folder, updatedAt } = describe(request);
    const marker = path.join(folder, '.updated');
    const refresh = (await readFile(marker, 'utf8').catch(() => '')) !== updatedAt;
    // Each request keeps its own count: the others run at the same time.
    const own: ExportTally = { fetched: 0, kept: 0, failures: [] };
    await fetchRequest(request, own, refresh);
    if (own.failures.length === 0) await saveWhole(marker, updatedAt);
    tally.fetched += own.fetched;
    tally.kept += own.kept;
    tally.failures.push(...own.failures);
    progress?.advance();
  });
  progress?.finish();
}
