import { describe, expect, it } from 'vitest';
import { archiveConfigSchema } from '../../../scripts/schema/archive.ts';
import { defaultArchiveConfig, repoFromRemoteUrl } from '../../../scripts/ingest/archive-config.ts';

describe('the archive.yaml of a new archive', () => {
  it('takes owner/name from the origin remote in every URL form', () => {
    for (const url of ['git@github.com:acme/widgets.git', 'https://github.com/acme/widgets', 'https://gitlab.com/group/acme/widgets.git', 'ssh://git@example.org:2222/acme/widgets.git', '/srv/git/acme/widgets.git', 'example.org:acme/widgets']) {
      expect(repoFromRemoteUrl(url), url).toBe('acme/widgets');
    }
  });

  it('falls back to local/<folder> with a title the schema accepts', () => {
    const config = defaultArchiveConfig(undefined, 'my repo!');
    expect(config).toEqual({ repo: 'local/my-repo', title: 'my-repo reviews' });
    expect(archiveConfigSchema.safeParse(config).success).toBe(true);
  });

  it('names a bare clone without a remote after its folder, less the .git', () => {
    expect(defaultArchiveConfig(undefined, 'widgets.git')).toEqual({ repo: 'local/widgets', title: 'widgets reviews' });
    expect(defaultArchiveConfig(undefined, '.git')).toEqual({ repo: 'local/repository', title: 'repository reviews' });
  });

  it('names the title after the repository', () => {
    expect(defaultArchiveConfig('acme/widgets', 'x')).toEqual({ repo: 'acme/widgets', title: 'widgets reviews' });
  });
});
