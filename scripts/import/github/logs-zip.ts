import { unzipSync } from 'fflate';

/**
 * GitHub Actions' `logs.zip` for one workflow run (`gh api repos/O/N/actions/runs/<id>/logs`):
 * - `<n>_<job>.txt`: the whole log of a job, `n` its place in the run;
 * - `<job>/<n>_<step>.txt`: the same log cut per step, in older and larger archives; a job with
 *   only its step files gets them joined, each step as a `##[group]` so the page folds it;
 * - `-2147483648_...` entries (system logs of the runner that GitHub adds beside them) are
 *   not a job's log and are left out.
 * Job names appear as GitHub shortens them in the zip: characters a file name cannot hold
 * removed, long names cut.
 */

export interface ZippedJobLog {
  /** The job name as the zip spells it. */
  zipName: string;
  /** Place in the run (`n`), for jobs of the same name. */
  order: number;
  text: string;
}

const LEGACY = '-2147483648_';
const decoder = new TextDecoder('utf-8');

/** @throws Error when the bytes are not a zip fflate can read (the caller reports it with the file) */
export function readLogsZip(bytes: Uint8Array): ZippedJobLog[] {
  const entries = unzipSync(bytes);
  const whole = new Map<string, ZippedJobLog>();
  const steps = new Map<string, Array<{ order: number; name: string; text: string }>>();
  for (const [entryName, data] of Object.entries(entries)) {
    if (entryName.endsWith('/')) continue;
    const slash = entryName.lastIndexOf('/');
    const folder = slash < 0 ? '' : entryName.slice(0, slash);
    const base = slash < 0 ? entryName : entryName.slice(slash + 1);
    if (base.startsWith(LEGACY) || !base.endsWith('.txt')) continue;
    const match = /^(\d+)_(.*)\.txt$/.exec(base);
    if (!match) continue;
    const order = Number(match[1]);
    const text = decoder.decode(data);
    if (folder === '') whole.set(match[2]!, { zipName: match[2]!, order, text });
    else if (!folder.includes('/')) {
      const list = steps.get(folder) ?? [];
      list.push({ order, name: match[2]!, text });
      steps.set(folder, list);
    }
  }
  const jobs = [...whole.values()];
  for (const [folder, list] of steps) {
    if (whole.has(folder)) continue;
    list.sort((a, b) => a.order - b.order);
    const text = list.map((step) => `##[group]${step.name}\n${step.text.replace(/\n?$/, '\n')}##[endgroup]\n`).join('');
    jobs.push({ zipName: folder, order: Number.MAX_SAFE_INTEGER, text });
  }
  return jobs.sort((a, b) => a.order - b.order || a.zipName.localeCompare(b.zipName));
}

/** A job name as the zip spells it: without the characters a file name cannot hold. */
export function zipNameOf(jobName: string): string {
  return jobName.replace(/[\\/:*?"<>|\r\n]/g, '').replace(/\s+/g, ' ').trim();
}

/**
 * Pairs jobs with their logs: by the name the zip gives (a cut name is a prefix of the job's),
 * jobs of the same name in their order. Returns job index → log text.
 */
export function matchJobLogs(jobNames: readonly string[], logs: readonly ZippedJobLog[]): Map<number, string> {
  const matched = new Map<number, string>();
  const used = new Set<ZippedJobLog>();
  const pass = (fits: (zipName: string, name: string) => boolean) => {
    jobNames.forEach((jobName, index) => {
      if (matched.has(index)) return;
      const name = zipNameOf(jobName);
      const log = logs.find((candidate) => !used.has(candidate) && fits(candidate.zipName.replace(/\s+/g, ' ').trim(), name));
      if (!log) return;
      used.add(log);
      matched.set(index, log.text);
    });
  };
  pass((zipName, name) => zipName === name);
  pass((zipName, name) => zipName.length >= 8 && name.startsWith(zipName));
  return matched;
}
