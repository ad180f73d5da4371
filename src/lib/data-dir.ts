import path from 'node:path';

/** Where the content build wrote the site data; scripts/build/build.ts sets REVIEW_ARCHIVE_DATA. */
export const dataDir = path.resolve(process.env.REVIEW_ARCHIVE_DATA ?? '.review-archive/data');
