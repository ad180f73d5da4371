import { describe, expect, it } from 'vitest';
import { parsePatch } from '../../../scripts/diff/parse-patch.ts';
import type { ParsedPatch } from '../../../scripts/diff/types.ts';
import { contentHash } from '../../../scripts/ingest/ingest-state.ts';
import { planFolder, type BranchFacts, type FolderInput } from '../../../scripts/ingest/plan-folder.ts';

const sha = (c: string) => c.repeat(40);
const facts: BranchFacts = { id: 5, name: 'fix', title: 'Fix it', state: 'open', target: 'main', head: sha('a'), base: sha('b'), author: 'Ada', updated: '2026-01-01T00:00:00Z' };

const patchText = ['diff --git a/src/app.ts b/src/app.ts', 'index 1111111..2222222 100644', '--- a/src/app.ts', '+++ b/src/app.ts', '@@ -1,2 +1,3 @@', ' one', '+two', ' three', ''].join('\n');
const patch = (parsePatch(patchText) as { ok: true; patch: ParsedPatch }).patch;

function firstRun(): { input: FolderInput; written: Map<string, string>; recorded: Record<string, string> } {
  const input: FolderInput = { facts, summary: 'Why.', patchText, patch, existing: new Map(), recorded: {} };
  const plan = planFolder(input);
  return { input, written: plan.writes, recorded: plan.recorded };
}

describe('planning a branch folder', () => {
  it('writes branch.md, diff.patch and generated steps into an empty folder, with tutorial ready', () => {
    const { written, recorded } = firstRun();
    expect([...written.keys()].sort()).toEqual(['branch.md', 'diff.patch', 'steps/01-change-src-app-ts.md']);
    expect(written.get('branch.md')).toContain('tutorial: ready');
    expect(Object.keys(recorded).sort()).toEqual([...written.keys()].sort());
  });

  it('writes nothing when the folder already holds what it would write', () => {
    const { written, recorded } = firstRun();
    const again = planFolder({ ...firstRun().input, existing: written, recorded });
    expect(again.writes.size).toBe(0);
    expect(again.deletes).toEqual([]);
  });

  it('keeps a step a person edited, adds no generated step beside it, and says so', () => {
    const { written, recorded } = firstRun();
    const edited = new Map(written);
    edited.set('steps/01-change-src-app-ts.md', written.get('steps/01-change-src-app-ts.md')!.replace('generated: true', 'generated: true\n# checked by Bob'));
    const plan = planFolder({ ...firstRun().input, facts: { ...facts, head: sha('c') }, existing: edited, recorded });
    expect(plan.writes.has('steps/01-change-src-app-ts.md')).toBe(false);
    expect(plan.deletes).toEqual([]);
    expect(plan.recorded['steps/01-change-src-app-ts.md']).toBeUndefined();
    expect(plan.notes).toContain('steps/01-change-src-app-ts.md was written or changed by a person: kept as it is');
  });

  it('treats a step file ingest never wrote as a person\'s, even without a state file', () => {
    const existing = new Map([['steps/01-my-own.md', '---\ntitle: Mine\nintent: Mine.\n---\n']]);
    const plan = planFolder({ ...firstRun().input, existing, recorded: {} });
    expect([...plan.writes.keys()].filter((file) => file.startsWith('steps/'))).toEqual([]);
    expect(plan.writes.get('branch.md')).toContain('tutorial: ready');
  });

  it('deletes a generated step that the new diff no longer needs, when nobody touched it', () => {
    const { recorded } = firstRun();
    const stale = '---\ntitle: Old\nintent: Old.\ngenerated: true\n---\n';
    const plan = planFolder({ ...firstRun().input, existing: new Map([['steps/02-old.md', stale]]), recorded: { ...recorded, 'steps/02-old.md': contentHash(stale) } });
    expect(plan.deletes).toEqual(['steps/02-old.md']);
  });

  it('corrects only the git facts of a branch.md a person edited, keeping their title and summary', () => {
    const { written, recorded } = firstRun();
    const edited = new Map(written);
    edited.set('branch.md', written.get('branch.md')!.replace('title: Fix it', 'title: Fix it properly').replace('Why.', 'A longer story.'));
    const plan = planFolder({ ...firstRun().input, facts: { ...facts, head: sha('c') }, existing: edited, recorded });
    const text = plan.writes.get('branch.md')!;
    expect(text).toContain(`head: ${sha('c')}`);
    expect(text).toContain('title: Fix it properly');
    expect(text).toContain('A longer story.');
    expect(plan.recorded['branch.md']).toBeUndefined();
  });

  it('says tutorial none for an empty diff', () => {
    const plan = planFolder({ facts, summary: '', patchText: '', patch: { files: [] }, existing: new Map(), recorded: {} });
    expect(plan.writes.get('branch.md')).toContain('tutorial: none');
    expect([...plan.writes.keys()].sort()).toEqual(['branch.md', 'diff.patch']);
  });
});
