import { stringify } from 'yaml';
import type { ArchiveConfig } from '../schema/archive.ts';

/**
 * `owner/name` from a remote URL in any form git accepts:
 * `git@github.com:owner/name.git`, `https://host/group/owner/name`, `ssh://git@host:22/owner/name.git`,
 * `/srv/git/owner/name.git`. Undefined when the URL has fewer than two path segments.
 */
export function repoFromRemoteUrl(url: string): string | undefined {
  const withoutScheme = url.trim().replace(/^[a-z+]+:\/\/[^/]+\//i, '').replace(/^(?:[^@/]+@)?[^:/]+:(?!\/)/, '');
  const segments = withoutScheme
    .replace(/\.git\/?$/, '')
    .split('/')
    .filter(Boolean)
    .map(safeName);
  if (segments.length < 2) return undefined;
  const [owner, name] = segments.slice(-2);
  return owner && name ? `${owner}/${name}` : undefined;
}

/** Only the characters archive.yaml's `repo` allows: letters, digits, `_`, `.`, `-`. */
function safeName(segment: string): string {
  return segment.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '');
}

/**
 * archive.yaml for a new archive: the repository's `owner/name` from its origin remote when
 * there is one, else `local/<folder name>` (a bare clone's `widgets.git` without its `.git`);
 * the title "<name> reviews".
 */
export function defaultArchiveConfig(remoteRepo: string | undefined, folderName: string): ArchiveConfig {
  const repo = remoteRepo ?? `local/${safeName(folderName.replace(/\.git$/i, '')) || 'repository'}`;
  const name = repo.slice(repo.indexOf('/') + 1);
  return { repo, title: `${name} reviews` };
}

export function formatArchiveConfig(config: ArchiveConfig): string {
  return stringify(config, { lineWidth: 0 });
}
