import type { Problem } from '../../build/report.ts';
import type { ForgeAuthors, ForgeBranch } from '../forge/forge-branch.ts';
import { importForgeBranches, type ForgeImportResult } from '../forge/run-forge-import.ts';
import { mapGitlabMergeRequest } from './map-gitlab.ts';
import { readGitlabExport } from './read-gitlab.ts';

/** `npm run import -- gitlab DIR`: read the export whole, map every merge request, then write. */
export async function importGitlab(options: { dir: string; repo?: string; out: string }): Promise<ForgeImportResult> {
  const read = await readGitlabExport(options.dir);
  const problems: Problem[] = [...read.problems];
  const authors: ForgeAuthors = new Map();
  const branches: ForgeBranch[] = [];
  for (const mergeRequest of read.mergeRequests) {
    const mapped = mapGitlabMergeRequest(mergeRequest, authors);
    problems.push(...mapped.problems);
    if (mapped.branch) branches.push(mapped.branch);
  }
  branches.sort((a, b) => a.id - b.id);
  return importForgeBranches({ forge: 'gitlab', branches, authors, repoName: read.project, problems, repo: options.repo, out: options.out });
}
