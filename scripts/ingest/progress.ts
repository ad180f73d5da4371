import { formatDuration } from '../render/format.ts';

/** Where progress goes: a terminal gets one updating line, a log gets a line now and then. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Progress {
  /** `count` more items are done. */
  advance(count?: number): void;
  /** Clears the terminal line (or prints the last line) when the work is over. */
  finish(): void;
}

const BAR_WIDTH = 20;
/** A log line at least this often, or at every 10 %, whichever comes first. */
const LOG_INTERVAL_MS = 2000;
/** A terminal line is redrawn at most this often: thousands of redraws would slow a remote terminal. */
const REDRAW_INTERVAL_MS = 100;

/** Seconds left at the pace so far; undefined until there is a pace to go by. */
export function estimateRemainingSecs(done: number, total: number, elapsedMs: number): number | undefined {
  if (done <= 0 || elapsedMs <= 0) return undefined;
  return ((total - done) * elapsedMs) / done / 1000;
}

/** `ingest [#####...............] 120/443 branches · ETA 12s`. Pure. */
export function formatProgressBar(label: string, done: number, total: number, elapsedMs: number, unit = 'branches'): string {
  const filled = total > 0 ? Math.round((done / total) * BAR_WIDTH) : BAR_WIDTH;
  const bar = `${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}`;
  return `${label} [${bar}] ${done}/${total} ${unit}${eta(done, total, elapsedMs)}`;
}

/** `ingest: 120/443 branches (27 %) · ETA 12s`. Pure. */
export function formatProgressLine(label: string, done: number, total: number, elapsedMs: number, unit = 'branches'): string {
  const percent = total > 0 ? Math.floor((done / total) * 100) : 100;
  return `${label}: ${done}/${total} ${unit} (${percent} %)${eta(done, total, elapsedMs)}`;
}

function eta(done: number, total: number, elapsedMs: number): string {
  if (done >= total) return ` · ${formatDuration(elapsedMs / 1000)}`;
  const left = estimateRemainingSecs(done, total, elapsedMs);
  return left === undefined ? '' : ` · ETA ${formatDuration(left)}`;
}

/**
 * A progress reporter over `total` items. On a terminal it redraws one line; otherwise it
 * writes a line every 2 s or every 10 %, so CI logs show that work goes on without flooding.
 */
export function createProgress(options: { label: string; total: number; stream: ProgressStream; now?: () => number; unit?: string }): Progress {
  const { label, total, stream, unit } = options;
  const now = options.now ?? (() => performance.now());
  const started = now();
  let done = 0;
  let lastLogAt = started;
  let lastLoggedTenth = 0;
  let drawn = false;
  let lastDrawAt = -Infinity;

  const draw = () => {
    lastDrawAt = now();
    const line = formatProgressBar(label, done, total, now() - started, unit);
    // Cut to the terminal's width: a wrapped line could not be redrawn in place.
    stream.write(`\r${line.slice(0, (stream.columns || 80) - 1)}\x1b[K`);
    drawn = true;
  };

  return {
    advance(count = 1) {
      done = Math.min(total, done + count);
      if (stream.isTTY) {
        if (done === total || now() - lastDrawAt >= REDRAW_INTERVAL_MS) draw();
        return;
      }
      const tenth = total > 0 ? Math.floor((done / total) * 10) : 10;
      const at = now();
      if (done < total && (at - lastLogAt >= LOG_INTERVAL_MS || tenth > lastLoggedTenth)) {
        stream.write(`${formatProgressLine(label, done, total, at - started, unit)}\n`);
        lastLogAt = at;
        lastLoggedTenth = tenth;
      }
    },
    finish() {
      if (stream.isTTY) {
        if (drawn) stream.write('\r\x1b[K');
      } else if (total > 0) {
        stream.write(`${formatProgressLine(label, done, total, now() - started, unit)}\n`);
      }
    },
  };
}
