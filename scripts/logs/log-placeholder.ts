/**
 * What a CI page holds in place of a lane's log when Astro renders it: a comment naming the lane
 * (`<run id>/<lane anchor>`). The build then puts the rendered log there, copying its bytes from
 * the page's log file (scripts/build/splice-logs.ts): hundreds of megabytes of log HTML need not
 * go through JSON, Astro's rendering and its encoding. A page's own text cannot make one: Astro
 * escapes `<` in text and attributes, and logs are escaped when rendered.
 */
export const logPlaceholder = (key: string) => `<!--review-archive-log:${key}-->`;

/** Every placeholder in a page; group 1 is the lane's key. */
export const LOG_PLACEHOLDERS = /<!--review-archive-log:([^>]*)-->/g;
