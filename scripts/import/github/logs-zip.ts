import type { LogZipPart } from '../forge/log-source.ts';
import type { ZipEntry } from './zip-file.ts';

/**
 * GitHub Actions' `logs.zip` for one workflow run (`gh api repos/O/N/actions/runs/<id>/logs`):
 * - `<n>_<job>.txt`: the whole log of a job, `n` its place in the run;
 * - `<job>/<n>_<step>.txt`: the same log cut per step, in older and larger archives; a job with
 *   only its step files gets them joined, each step as a `##[group]` so the page folds it;
 * - `-2147483648_...` entries (system logs of the runner that GitHub adds beside them) are
 *   not a job's log and are left out.
 * Job names appear as GitHub shortens them in the zip: characters a file name cannot hold
 * removed, long names cut. Only the zip's directory is read here; the logs' bytes are copied
 * when the archive is written (scripts/import/forge/log-source.ts).
 */

export interface ZippedJobLog {
  /** The job name as the zip spells it. */
  zipName: string;
  /** Place in the run (`n`), for jobs of the same name. */
  order: number;
  /** The entries its log is made of: one whole file, or the steps in order. */
  parts: LogZipPart[];
}

const LEGACY = '-2147483648_';

/** The jobs' logs a zip holds, from its directory's entries. */
export function jobLogsOf(entries: readonly ZipEntry[]): ZippedJobLog[] {
  const whole = new Map<string, ZippedJobLog>();
  const steps = new Map<string, Array<{ order: number; name: string; entry: ZipEntry }>>();
  for (const entry of entries) {
    const entryName = entry.name;
    if (entryName.endsWith('/')) continue;
    const slash = entryName.lastIndexOf('/');
    const folder = slash < 0 ? '' : entryName.slice(0, slash);
    const base = slash < 0 ? entryName : entryName.slice(slash + 1);
    if (base.startsWith(LEGACY) || !base.endsWith('.txt')) continue;
    const match = /^(\d+)_(.*)\.txt$/.exec(base);
    if (!match) continue;
    const order = Number(match[1]);
    if (folder === '') whole.set(match[2]!, { zipName: match[2]!, order, parts: [{ entry }] });
    else if (!folder.includes('/')) {
      const list = steps.get(folder) ?? [];
      list.push({ order, name: match[2]!, entry });
      steps.set(folder, list);
    }
  }
  const jobs = [...whole.values()];
  for (const [folder, list] of steps) {
    if (whole.has(folder)) continue;
    list.sort((a, b) => a.order - b.order);
    jobs.push({ zipName: folder, order: Number.MAX_SAFE_INTEGER, parts: list.map((step) => ({ entry: step.entry, step: step.name })) });
  }
  return jobs.sort((a, b) => a.order - b.order || a.zipName.localeCompare(b.zipName));
}

/** A job name as the zip spells it: without the characters a file name cannot hold. */
export function zipNameOf(jobName: string): string {
  return jobName.replace(/[\\/:*?"<>|\r\n]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Pairs jobs with their logs: by the name the zip gives (a cut name is a prefix of the job's),
 * jobs of the same name in their order. Returns job index → its log.
 */
export function matchJobLogs(jobNames: readonly string[], logs: readonly ZippedJobLog[]): Map<number, ZippedJobLog> {
  const matched = new Map<number, ZippedJobLog>();
  const used = new Set<ZippedJobLog>();
  const pass = (fits: (zipName: string, name: string) => boolean) => {
    jobNames.forEach((jobName, index) => {
      if (matched.has(index)) return;
      const name = zipNameOf(jobName);
      const log = logs.find((candidate) => !used.has(candidate) && fits(candidate.zipName.replace(/\s+/g, ' ').trim(), name));
      if (!log) return;
      used.add(log);
      matched.set(index, log);
    });
  };
  pass((zipName, name) => zipName === name);
  pass((zipName, name) => zipName.length >= 8 && name.startsWith(zipName));
  return matched;
}
