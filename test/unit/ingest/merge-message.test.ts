import { describe, expect, it } from 'vitest';
import { isSyncMerge, recognizeMerge } from '../../../scripts/ingest/git/merge-message.ts';

const sha = 'abcdef0123456789abcdef0123456789abcdef01';

describe('recognizing the branch a first-parent commit brought in', () => {
  it('reads a GitHub pull request merge: number, branch without its owner, title and description', () => {
    const merge = recognizeMerge('Merge pull request #42 from acme/feature/search\n\nAdd a search box\n\nIt searches titles.\nAnd names.', 2, sha);
    expect(merge).toEqual({ style: 'pull-request', name: 'feature/search', number: 42, title: 'Add a search box', description: 'It searches titles.\nAnd names.' });
  });

  it('reads "Merge branch" with and without a target, quoted the GitLab way or not', () => {
    expect(recognizeMerge("Merge branch 'fix-login'", 2, sha)).toMatchObject({ style: 'branch', name: 'fix-login', into: undefined });
    expect(recognizeMerge("Merge branch 'fix-login' into develop", 2, sha)).toMatchObject({ name: 'fix-login', into: 'develop' });
    expect(recognizeMerge("Merge branch 'fix-login' into 'main'", 2, sha)).toMatchObject({ name: 'fix-login', into: 'main' });
    expect(recognizeMerge("Merge branch 'main' of github.com:acme/widgets", 2, sha)).toMatchObject({ name: 'main' });
  });

  it('takes a GitLab merge request number and title from the message body', () => {
    const merge = recognizeMerge("Merge branch 'docs' into 'main'\n\nWrite the docs\n\nSee merge request acme/widgets!17", 2, sha);
    expect(merge).toMatchObject({ style: 'merge-request', name: 'docs', number: 17, title: 'Write the docs', into: 'main' });
  });

  it('drops the remote from a remote-tracking branch', () => {
    expect(recognizeMerge("Merge remote-tracking branch 'origin/feature/x'", 2, sha)).toMatchObject({ style: 'remote-tracking', name: 'feature/x' });
    // Named by its full ref (seen in sledtools/pika): still the branch, so a sync of the target is skipped.
    expect(recognizeMerge("Merge remote-tracking branch 'refs/remotes/github/master' into mirror-reconcile", 2, sha)).toMatchObject({ name: 'master', into: 'mirror-reconcile' });
    expect(isSyncMerge(recognizeMerge("Merge remote-tracking branch 'refs/remotes/github/master'", 2, sha)!, ['master'])).toBe(true);
    expect(recognizeMerge("Merge remote-tracking branch 'remotes/origin/fix/y'", 2, sha)).toMatchObject({ name: 'fix/y' });
  });

  it('recognizes a squash merge by the "(#N)" at the end of its subject', () => {
    expect(recognizeMerge('Support Astro v7 (#454)\n\n* bump\n* fix', 1, sha)).toEqual({ style: 'squash', name: 'pull/454', number: 454, title: 'Support Astro v7', description: '* bump\n* fix' });
  });

  it('ignores an ordinary commit on the target', () => {
    expect(recognizeMerge('Fix a typo', 1, sha)).toBeUndefined();
    expect(recognizeMerge('Refer to (#12) in the notes', 1, sha)).toBeUndefined();
  });

  it('still gives a merge with an unknown message a page, named after its commit', () => {
    expect(recognizeMerge('Combine the work of the week', 2, sha)).toMatchObject({ style: 'other', name: 'merge-abcdef0' });
  });

  it('treats merging the target into itself as a synchronization, not a review', () => {
    const pull = recognizeMerge("Merge branch 'main' of github.com:acme/widgets", 2, sha)!;
    expect(isSyncMerge(pull, ['main'])).toBe(true);
    const tracking = recognizeMerge("Merge remote-tracking branch 'origin/main'", 2, sha)!;
    expect(isSyncMerge(tracking, ['origin/main', 'main'])).toBe(true);
    expect(isSyncMerge(recognizeMerge("Merge branch 'fix'", 2, sha)!, ['main'])).toBe(false);
  });
});
