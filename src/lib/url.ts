/**
 * A path inside the site, under the configured base (`/`, `/sub/dir/`, …), so every internal
 * link and asset keeps working wherever the site is served.
 *
 * @param path a site-relative path such as `branch/7/`; empty for the home page
 */
export function sitePath(path = ''): string {
  const base = import.meta.env.BASE_URL;
  return `${base.endsWith('/') ? base : `${base}/`}${path.replace(/^\/+/, '')}`;
}

/** The page of one branch. */
export function branchPath(id: number): string {
  return sitePath(`branch/${id}/`);
}

/** The CI details page of a branch: every run, every lane's log. */
export function ciPath(id: number): string {
  return sitePath(`branch/${id}/ci/`);
}

/** The page of a nightly job (`nightly/<slug>.yaml`). */
export function nightlyPath(slug: string): string {
  return sitePath(`nightly/${slug}/`);
}
