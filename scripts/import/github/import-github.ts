import type { Problem } from '../../build/report.ts';
import type { ForgeAuthors, ForgeBranch } from '../forge/forge-branch.ts';
import { importForgeBranches, type ForgeImportResult } from '../forge/run-forge-import.ts';
import { mapGithubPull } from './map-github.ts';
import { readGithubExport } from './read-github.ts';

/** `npm run import -- github DIR`: read the export whole, map every pull request, then write. */
export async function importGithub(options: { dir: string; repo?: string; out: string }): Promise<ForgeImportResult> {
  const read = await readGithubExport(options.dir);
  const problems: Problem[] = [...read.problems];
  const authors: ForgeAuthors = new Map();
  const branches: ForgeBranch[] = [];
  for (const pull of read.pulls) {
    const mapped = mapGithubPull(pull, authors);
    problems.push(...mapped.problems);
    if (mapped.branch) branches.push(mapped.branch);
  }
  branches.sort((a, b) => a.id - b.id);
  return importForgeBranches({ forge: 'github', branches, authors, repoName: read.repo, problems, repo: options.repo, out: options.out });
}
