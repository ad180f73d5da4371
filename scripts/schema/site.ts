import { z } from 'zod';
import { branchStates, tutorialStatuses } from './branch.ts';
import { laneStatuses, runStatuses } from './ci.ts';
import { siteDiscussionSchema } from './site-discussion.ts';

/**
 * What the content build hands to the Astro site: validated, resolved and rendered.
 * `src/content.config.ts` declares its collections with these schemas, so the pages
 * and the build script can never disagree about a field.
 *
 * Every `...Html` field is sanitized, escaped HTML made by the build script; pages insert it as is.
 */

export const siteInfoSchema = z.object({
  repo: z.string(),
  title: z.string(),
  description: z.string().optional(),
  url: z.string().optional(),
  /** Link template for a commit, with `{sha}`. */
  commitUrl: z.string().optional(),
  /** Link template for a file at a commit, with `{sha}` and `{path}`. */
  fileUrl: z.string().optional(),
  /** Branches per feed page. */
  pageSize: z.number(),
});

export const fileStatusSchema = z.enum(['added', 'deleted', 'modified', 'renamed', 'copied', 'mode-changed', 'binary']);

export const siteLaneSchema = z.object({
  name: z.string(),
  status: z.enum(laneStatuses),
  durationSecs: z.number().optional(),
  /** Anchor of the lane on the CI page, e.g. `run-169-check-fixture`; its lines are `<anchor>-L<n>`. */
  anchor: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  entrypoint: z.string().optional(),
  retries: z.number().optional(),
  failureKind: z.string().optional(),
  rerunOfLane: z.string().optional(),
  /** The job on the CI service. */
  url: z.string().optional(),
  /** Whether the archive has the lane's log (on the CI page). */
  hasLog: z.boolean(),
  /** For a failed lane: its first error lines (at most 5), each with the anchor of its line. */
  firstErrors: z.array(z.object({ text: z.string(), anchor: z.string() })).optional(),
});

/** A lane's log as the CI page shows it (scripts/logs/lane-log.ts). */
export const siteLaneLogSchema = z.object({
  /**
   * The file of the site data with the escaped HTML of the log's lines (scripts/logs/render-log.ts),
   * `/`-separated: `ci/<id>/<lane anchor>.entry` (a link to the log's cache entry) for a branch,
   * `nightly/<job>/…` for a nightly job (scripts/logs/render-ci.ts).
   */
  htmlFile: z.string(),
  /**
   * Where in that file the HTML lies: byte offset and length. The page holds a placeholder, and the
   * build copies these bytes there (scripts/build/splice-logs.ts).
   */
  htmlBytes: z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]),
  totalLines: z.number(),
  shownLines: z.number(),
  errorCount: z.number(),
  errors: z.array(z.object({ line: z.number(), anchor: z.string(), text: z.string() })),
  truncated: z.boolean(),
  /** The whole log as plain text, relative to the CI page, when the page shows only part of it. */
  textHref: z.string().optional(),
});

/** The logs of a CI page, by `<run id>/<lane anchor>`. */
export const siteCiLogsSchema = z.record(z.string(), siteLaneLogSchema);

export const siteRunSchema = z.object({
  id: z.number(),
  status: z.enum(runStatuses),
  head: z.string(),
  queuedAt: z.string(),
  queuedSecs: z.number().optional(),
  ranSecs: z.number().optional(),
  rerunOf: z.number().optional(),
  /** Anchor of the run on the CI page: `run-<id>`. */
  anchor: z.string(),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  entrypoint: z.string().optional(),
  /** The run on the CI service (http or https, checked by the archive schema). */
  url: z.string().optional(),
  lanes: z.array(siteLaneSchema),
  /** Lane counts by status; only statuses that occur are present. */
  laneCounts: z.partialRecord(z.enum(laneStatuses), z.number()),
});

/** A CI job not tied to a branch (`nightly/<job>.yaml`), runs oldest first. */
export const siteNightlyJobSchema = z.object({
  slug: z.string(),
  name: z.string(),
  runs: z.array(siteRunSchema),
});

export const siteDiffFileSchema = z.object({
  /** Anchor id of the file in the Diff section, e.g. `diff-src-app-ts`. Stable for a path. */
  anchor: z.string(),
  path: z.string(),
  oldPath: z.string().nullable(),
  newPath: z.string().nullable(),
  status: fileStatusSchema,
  oldMode: z.string().optional(),
  newMode: z.string().optional(),
  similarity: z.number().optional(),
  binary: z.boolean(),
  additions: z.number(),
  deletions: z.number(),
  /** Shiki language used for the file, `text` when unknown. */
  language: z.string(),
  /** Prefix of the file's line anchors: `<prefix>L12` (old side), `<prefix>R12` (new side). */
  lineAnchor: z.string(),
  /** Why the file starts collapsed (lock file, generated, vendored, large), when it does. */
  collapsed: z.string().optional(),
  /**
   * The file's diff is on a page of its own, `/branch/<id>/files/<page>/` (its 1-based position in
   * the diff), to keep the branch page small (scripts/render/page-budget.ts); the branch page shows
   * its header and a link.
   */
  page: z.number().optional(),
  /** A submodule pointer moved (mode 160000): the "lines" are commit ids. */
  submodule: z.boolean().optional(),
  /** Warnings shown above the file's lines: invisible or bidirectional characters, lines shown without highlighting. */
  notes: z.array(z.string()).optional(),
  /**
   * Binary files: the old and new content's size in bytes (from the archive's `files/` folder or a
   * `git diff --binary` payload) and, for images the archive holds, their path relative to the page.
   */
  binarySides: z
    .object({
      old: z.object({ size: z.number().optional(), image: z.string().optional() }).optional(),
      new: z.object({ size: z.number().optional(), image: z.string().optional() }).optional(),
    })
    .optional(),
  /**
   * A long diff's rows are cut into tables of a few hundred lines, each laid out by the browser on
   * its own (scripts/render/diff-tables.ts): where each table starts, hunk `hunk`'s `html` from
   * offset `at` (0: the hunk's header too), and its diff lines. Absent when the diff is one table.
   */
  tables: z.array(z.object({ hunk: z.number(), at: z.number(), lines: z.number() })).optional(),
  hunks: z.array(
    z.object({
      /** Anchor id of the hunk, e.g. `diff-src-app-ts-h2`. */
      anchor: z.string(),
      header: z.string(),
      /** Highlighted rows (see scripts/render/render-diff.ts), ready to insert in a `<tbody>`. */
      html: z.string(),
      /** The steps whose evidence cites this hunk: links back from the full diff. */
      citedBy: z.array(z.object({ number: z.number(), anchor: z.string(), title: z.string() })),
    }),
  ),
});

export const siteEvidenceSchema = z.object({
  file: z.string(),
  /** Anchor of the file in the Diff section. */
  fileAnchor: z.string(),
  /** Anchor of the whole hunk in the Diff section. */
  hunkAnchor: z.string(),
  /** The hunk header shown above the evidence (the selected range for a line selector). */
  header: z.string(),
  /** The cited file's own page (see siteDiffFileSchema.page), when its diff is not on the branch page. */
  page: z.number().optional(),
  html: z.string(),
  /** Lines of the cited range left out of `html` (a step shows at most EVIDENCE_LINES of it, fewer on a page with much evidence: fitEvidence). */
  omittedLines: z.number().optional(),
});

export const siteStepSchema = z.object({
  number: z.number(),
  /** Anchor id of the step, e.g. `step-2`. */
  anchor: z.string(),
  title: z.string(),
  intentHtml: z.string(),
  files: z.array(z.object({ path: z.string(), anchor: z.string().nullable() })),
  evidence: z.array(siteEvidenceSchema),
  bodyHtml: z.string(),
  generated: z.boolean(),
});

export const siteBranchSchema = z.object({
  id: z.number(),
  name: z.string(),
  title: z.string(),
  state: z.enum(branchStates),
  target: z.string(),
  mergeCommit: z.string().optional(),
  head: z.string(),
  base: z.string(),
  author: z.string(),
  updated: z.string(),
  tutorial: z.enum(tutorialStatuses),
  /** Status of the latest CI run, or `none` when the branch has no CI. */
  ci: z.enum([...runStatuses, 'none']),
  summaryHtml: z.string(),
  /** CI runs, oldest first; the last one is the latest. Empty when there is no CI. */
  runs: z.array(siteRunSchema),
  steps: z.array(siteStepSchema),
  /** Reviews, comments and threads, when the branch has a discussion.yaml. */
  discussion: siteDiscussionSchema.optional(),
  diff: z.object({
    files: z.array(siteDiffFileSchema),
    additions: z.number(),
    deletions: z.number(),
  }),
});

/**
 * What the feed needs of a branch. The collection holds only these; a branch page reads its full
 * SiteBranch from its own file, so no page (and no Astro data store) ever holds every diff at once.
 */
export const siteBranchSummarySchema = siteBranchSchema
  .pick({ id: true, name: true, title: true, state: true, target: true, updated: true, tutorial: true, ci: true })
  .extend({
    files: z.number(),
    additions: z.number(),
    deletions: z.number(),
    /** The files with a page of their own (siteDiffFileSchema.page), for the pages' routes. */
    filePages: z.array(z.number()),
    /** Reviewers by their latest verdict and the number of comments, for the feed card and the review filter. */
    review: z.object({ approved: z.number(), changes_requested: z.number(), commented: z.number(), dismissed: z.number(), comments: z.number() }).optional(),
  });

export type SiteInfo = z.output<typeof siteInfoSchema>;
export type SiteBranchSummary = z.output<typeof siteBranchSummarySchema>;
export type SiteBranch = z.output<typeof siteBranchSchema>;
export type SiteNightlyJob = z.output<typeof siteNightlyJobSchema>;
export type SiteRun = z.output<typeof siteRunSchema>;
export type SiteLane = z.output<typeof siteLaneSchema>;
export type SiteLaneLog = z.output<typeof siteLaneLogSchema>;
export type SiteCiLogs = z.output<typeof siteCiLogsSchema>;
export type SiteStep = z.output<typeof siteStepSchema>;
export type SiteDiffFile = z.output<typeof siteDiffFileSchema>;
export type SiteEvidence = z.output<typeof siteEvidenceSchema>;
