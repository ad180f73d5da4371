import Anser from 'anser';
import { SgrTable, type SgrState } from './sgr-states.ts';

/**
 * The terminal layer of a log line: what a terminal would have shown. SGR styling is parsed by
 * anser (a maintained parser that gives a model, not HTML, so escaping stays ours: see
 * render-log.ts); around it this module does what anser does not: a carriage return moves back to
 * the start of the line and later text overwrites it (progress bars end in their final state),
 * erase-in-line (`ESC[K`, `ESC[1K`, `ESC[2K`) clears, OSC 8 hyperlinks are kept for http(s) URLs
 * only, and every other escape or control character (cursor moves, OSC titles, NUL, backspace) is
 * dropped, never shown raw.
 */

/** A run of text with one style. `classes` are short CSS classes (see LOG_CSS); `style` sets 256/24-bit colours. */
export interface Segment {
  text: string;
  classes?: string;
  style?: string;
  href?: string;
}

/** One token of a raw line. */
type Token =
  | { kind: 'text'; text: string }
  | { kind: 'cr' }
  | { kind: 'erase'; mode: 0 | 1 | 2 }
  | { kind: 'link'; href: string | undefined };

// ESC [ params final | ESC ] ... (BEL | ESC \) | other ESC + one char | lone ESC | C0/C1 controls but tab.
export const ESCAPE = /\x1b\[([\x30-\x3f]*)([\x20-\x2f]*)([\x40-\x7e])|\x1b\]([^\x07\x1b]*)(?:\x07|\x1b\\|$)|\x1b[\x20-\x2f]*[\x30-\x7e]?|\r|[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g;

/**
 * Splits a raw line into text (with its SGR sequences, for anser), carriage returns, erases and
 * link boundaries. Everything else that is not text is dropped here.
 */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let text = '';
  let last = 0;
  const flush = () => {
    if (text) tokens.push({ kind: 'text', text });
    text = '';
  };
  for (const match of line.matchAll(ESCAPE)) {
    text += line.slice(last, match.index);
    last = match.index + match[0].length;
    const [whole, params, intermediates, final, osc] = match;
    if (final !== undefined) {
      if (final === 'm' && !intermediates && /^[\d;:]*$/.test(params!)) text += whole;
      else if (final === 'K' && !intermediates && /^[012]?$/.test(params!)) {
        flush();
        tokens.push({ kind: 'erase', mode: Number(params || 0) as 0 | 1 | 2 });
      }
      // Other CSI sequences (cursor moves, screen clears, private modes) are dropped.
    } else if (osc !== undefined) {
      const link = /^8;[^;]*;(.*)$/s.exec(osc);
      if (link) {
        flush();
        tokens.push({ kind: 'link', href: safeHref(link[1]!) });
      }
      // Other OSC (window titles, colours, notifications) are dropped.
    } else if (whole === '\r') {
      flush();
      tokens.push({ kind: 'cr' });
    }
    // Two-character escapes and control characters are dropped.
  }
  text += line.slice(last);
  flush();
  return tokens;
}

/** A link target the page may use: absolute http(s) URLs only; anything else (javascript:, data:, relative) is no link. */
export function safeHref(target: string): string | undefined {
  if (!/^https?:\/\//i.test(target)) return undefined;
  try {
    const url = new URL(target);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined;
  } catch {
    return undefined;
  }
}

interface Cell {
  ch: string;
  /** Shared by every cell of one chunk, so cells of one style compare equal by reference. */
  style: Omit<Segment, 'text'>;
  href: string | undefined;
}

const NO_STYLE: Omit<Segment, 'text'> = {};

/**
 * Reads the lines of one log in order. SGR state carries from one line to the next, as in a
 * terminal, so one reader serves one log.
 */
export class TerminalReader {
  private readonly anser = new Anser();
  private href: string | undefined;
  /** The style in force: anser reports it only for text after an escape, not for a line's first text. */
  private current: Omit<Segment, 'text'> = {};

  /** The visible segments of a raw line (without its line break). */
  read(line: string): Segment[] {
    // Most lines of most logs are plain text: no escape, no control character.
    if (!/[\x00-\x08\x0b-\x1f\x7f-\x9f]/.test(line)) return line ? [this.plain(line)] : [];
    const tokens = tokenize(line);
    const overwrites = tokens.some((token) => token.kind === 'cr' || token.kind === 'erase');
    return overwrites ? this.overwrite(tokens) : this.inOrder(tokens);
  }

  private plain(text: string): Segment {
    // The style still applies: a colour set on an earlier line lasts until it is reset.
    return { text, ...this.current, ...(this.href ? { href: this.href } : {}) };
  }

  /** anser's chunks of a piece of text, each with the style in force for it. */
  private chunks(text: string): Array<{ content: string; style: Omit<Segment, 'text'> }> {
    return this.anser.ansiToJson(text, { use_classes: true }).map((chunk, index) => {
      // Every chunk after the first follows an SGR sequence (tokenize keeps no other) and carries the new state.
      if (index > 0) this.current = this.styleOf(chunk);
      return { content: chunk.content, style: this.current };
    });
  }

  private inOrder(tokens: Token[]): Segment[] {
    const segments: Segment[] = [];
    for (const token of tokens) {
      if (token.kind === 'link') this.href = token.href;
      else if (token.kind === 'text') {
        for (const chunk of this.chunks(token.text)) {
          if (chunk.content) segments.push({ text: chunk.content, ...chunk.style, ...(this.href ? { href: this.href } : {}) });
        }
      }
    }
    return merge(segments);
  }

  /** Lines with `\r` or erase-in-line: a row of cells that later text overwrites. */
  private overwrite(tokens: Token[]): Segment[] {
    const cells: Cell[] = [];
    let column = 0;
    for (const token of tokens) {
      if (token.kind === 'link') this.href = token.href;
      else if (token.kind === 'cr') column = 0;
      else if (token.kind === 'erase') {
        if (token.mode === 0) cells.length = Math.min(cells.length, column);
        else if (token.mode === 1) for (let i = 0; i < Math.min(column + 1, cells.length); i++) cells[i] = { ch: ' ', style: NO_STYLE, href: undefined };
        else cells.length = 0;
      } else {
        for (const chunk of this.chunks(token.text)) {
          if (!chunk.content) continue;
          const style = chunk.style;
          for (const ch of chunk.content) {
            while (cells.length < column) cells.push({ ch: ' ', style: NO_STYLE, href: undefined });
            cells[column++] = { ch, style, href: this.href };
          }
        }
      }
    }
    // Runs of cells with one style and link become one segment.
    const segments: Segment[] = [];
    let previous: Cell | undefined;
    for (const cell of cells) {
      if (previous && cell.style === previous.style && cell.href === previous.href) segments.at(-1)!.text += cell.ch;
      else segments.push({ text: cell.ch, ...cell.style, ...(cell.href ? { href: cell.href } : {}) });
      previous = cell;
    }
    return merge(segments);
  }

  /**
   * Styles by anser's colours and decorations: a log sets the same few styles thousands of times,
   * and working out a readable 24-bit colour for both themes is most of the cost of a styled line.
   */
  private styles = new Map<string, Omit<Segment, 'text'>>();

  private styleOf(chunk: Anser.AnserJsonEntry | undefined): Omit<Segment, 'text'> {
    if (!chunk || !chunk.was_processed) return {};
    const key = `${chunk.fg}|${chunk.fg_truecolor}|${chunk.bg}|${chunk.bg_truecolor}|${chunk.decorations.join(',')}`;
    let style = this.styles.get(key);
    if (!style) {
      style = styleOfChunk(chunk);
      // A hostile log can make a new 24-bit colour on every line.
      if (this.styles.size >= 10_000) this.styles = new Map();
      this.styles.set(key, style);
    }
    return style;
  }

  /**
   * Continues from a state reached without this reader (LineScanner reads most lines itself and
   * hands only lines with carriage returns, erases or links to a reader).
   */
  restore(state: SgrState, href: string | undefined): void {
    SgrTable.load(state, this.anser);
    this.current = state.style;
    this.href = href;
  }

  /** The state this reader is in, as a state of `table`, and the link open. */
  snapshot(table: SgrTable): { state: SgrState; href: string | undefined } {
    return { state: table.stateOf(this.anser, this.current), href: this.href };
  }
}

/** The style anser's chunk gives its text (none when anser did not process the chunk). */
export function styleOfAnserChunk(chunk: Anser.AnserJsonEntry | undefined): Omit<Segment, 'text'> {
  return !chunk || !chunk.was_processed ? {} : styleOfChunk(chunk);
}

function styleOfChunk(chunk: Anser.AnserJsonEntry): Omit<Segment, 'text'> {
  // anser has already applied inverse (SGR 7) by swapping the colours, white on black when there were none.
  const decorations = [...chunk.decorations];
  const fg = colourOf(chunk.fg, chunk.fg_truecolor);
  const bg = colourOf(chunk.bg, chunk.bg_truecolor);
  const classes: string[] = [];
  const styles: string[] = [];
  if (fg?.index !== undefined) classes.push(`f${fg.index}`);
  else if (fg?.rgb) {
    // The log's colour, made just dark enough for the light theme and light enough for the dark one.
    classes.push('fx');
    styles.push(`--f:${readableOn(fg.rgb, LIGHT_LOG_BG, 0)};--g:${readableOn(fg.rgb, DARK_LOG_BG, 255)}`);
  }
  if (bg?.index !== undefined) classes.push(`b${bg.index}`);
  else if (bg?.rgb) {
    classes.push('bx');
    styles.push(`--b:${bg.rgb}`);
  }
  for (const [name, cls] of DECORATION_CLASSES) if (decorations.includes(name)) classes.push(cls);
  return { ...(classes.length ? { classes: classes.join(' ') } : {}), ...(styles.length ? { style: styles.join(';') } : {}) };
}

const DECORATION_CLASSES = [
  ['bold', 'ab'],
  ['dim', 'ad'],
  ['italic', 'ai'],
  ['underline', 'au'],
  ['strikethrough', 'as'],
  ['hidden', 'ah'],
] as const;

const NAMED = ['black', 'red', 'green', 'yellow', 'blue', 'magenta', 'cyan', 'white'];

/** anser's colour (a class such as `ansi-bright-red` or `ansi-palette-208`) as one of the 16 named colours or an rgb value. */
function colourOf(value: string | null, truecolor: string | null): { index?: number; rgb?: string } | undefined {
  if (!value) return undefined;
  if (value === 'ansi-truecolor' && truecolor) return { rgb: hex(truecolor.split(',').map((n) => Number(n.trim()))) };
  const palette = /^ansi-palette-(\d+)$/.exec(value);
  if (palette) return { rgb: hex(paletteRgb(Number(palette[1]))) };
  const named = /^ansi-(bright-)?(\w+)$/.exec(value);
  if (named && NAMED.includes(named[2]!)) return { index: NAMED.indexOf(named[2]!) + (named[1] ? 8 : 0) };
  return undefined;
}

/** The xterm 256-colour palette above the 16 named colours: a 6×6×6 cube, then 24 greys. */
export function paletteRgb(index: number): number[] {
  if (index >= 232) {
    const grey = 8 + (index - 232) * 10;
    return [grey, grey, grey];
  }
  const cube = index - 16;
  const level = (n: number) => (n === 0 ? 0 : 55 + n * 40);
  return [level(Math.floor(cube / 36)), level(Math.floor(cube / 6) % 6), level(cube % 6)];
}

/** The log box's backgrounds (src/styles/ci-logs.css --log-bg), which 256-colour and 24-bit text must be readable on. */
const LIGHT_LOG_BG = [0xf6, 0xf8, 0xfa];
const DARK_LOG_BG = [0x15, 0x1b, 0x23];

/**
 * A colour with at least 4.5:1 contrast (WCAG AA) on `background`: the colour itself when it has
 * it, else mixed step by step towards black (`towards` 0) or white (255) until it does.
 */
export function readableOn(colour: string, background: number[], towards: 0 | 255): string {
  const rgb = [1, 3, 5].map((i) => parseInt(colour.slice(i, i + 2), 16));
  for (let step = 0; step <= 20; step++) {
    const mixed = rgb.map((c) => Math.round(c + ((towards - c) * step) / 20));
    if (contrast(mixed, background) >= 4.5) return hex(mixed);
  }
  return hex([towards, towards, towards]);
}

function contrast(a: number[], b: number[]): number {
  const [la, lb] = [luminance(a), luminance(b)];
  return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
}

function luminance(rgb: number[]): number {
  const [r, g, b] = rgb.map((c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

function hex(rgb: number[]): string {
  return `#${rgb.map((n) => Math.max(0, Math.min(255, n | 0)).toString(16).padStart(2, '0')).join('')}`;
}

/** Joins neighbouring segments of the same style. */
function merge(segments: Segment[]): Segment[] {
  const out: Segment[] = [];
  for (const segment of segments) {
    const previous = out.at(-1);
    if (previous && previous.classes === segment.classes && previous.style === segment.style && previous.href === segment.href) previous.text += segment.text;
    else out.push({ ...segment });
  }
  return out;
}

/** The text a reader sees, without styling. */
export const segmentsText = (segments: readonly Segment[]) => segments.map((segment) => segment.text).join('');
