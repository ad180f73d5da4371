import Anser from 'anser';
import { escapeHtml } from '../render/html.ts';
import { styleOfAnserChunk, type Segment } from './terminal.ts';

/**
 * The SGR state of a terminal as values, so that a log's lines can be read and drawn without a
 * model per line. A state is what anser holds after the sequences so far (colours and decorations)
 * and the style text is drawn in; a transition is what one SGR sequence does to a state, worked
 * out once by anser itself and then remembered: a log sets the same few styles thousands of times.
 * The result is the same as TerminalReader's, which runs anser over every line (the tests compare
 * the two on random lines).
 */
export interface SgrState {
  readonly fg: string | null;
  readonly bg: string | null;
  readonly fgTruecolor: string | null;
  readonly bgTruecolor: string | null;
  readonly decorations: readonly string[];
  /** The style text gets in this state (TerminalReader's `current`). */
  readonly style: Omit<Segment, 'text' | 'href'>;
  /** The style as HTML attributes (` class="f1 ab" style="…"`, escaped), '' for none. */
  readonly attributes: string;
  readonly table: SgrTable;
  /** Transitions from this state, by sequence (cleared with the table's, see MAX_ENTRIES). */
  readonly next: Map<string, SgrTransition>;
  /** The same, by the number applyBytes packs a short sequence's parameters into. */
  readonly nextByCode: Map<number, SgrTransition>;
  /** The table's generation the state was made in: only the current one's remember transitions. */
  readonly generation: number;
}

/** What an SGR sequence does: the state after it, and text anser shows of a sequence it cannot parse (`ESC[38:5:1m`). */
export interface SgrTransition {
  state: SgrState;
  shown: string;
}

/**
 * Past this many states or transitions a log's table starts again: a hostile log could make a new
 * 24-bit colour on every line, and the table would grow with the log. Forgetting only costs time.
 */
const MAX_ENTRIES = 10_000;

/** One log's states and transitions (the state carries from line to line, so one table serves one log). */
export class SgrTable {
  private readonly engine = new Anser();
  private states = new Map<string, SgrState>();
  private transitions = 0;
  private generation = 0;
  readonly initial: SgrState = this.intern(null, null, null, null, [], {});

  /** States and transitions remembered (bounded). */
  get size(): number {
    return this.states.size + this.transitions;
  }

  /** The state after `sequence` (a whole `ESC[…m`) from `from`. */
  apply(from: SgrState, sequence: string): SgrTransition {
    let transition = from.next.get(sequence);
    if (transition) return transition;
    SgrTable.load(from, this.engine);
    // The chunk after the sequence is what TerminalReader takes the new style from.
    const chunk = this.engine.ansiToJson(sequence, { use_classes: true })[1];
    const style = styleOfAnserChunk(chunk);
    transition = { state: this.stateOf(this.engine, style), shown: chunk?.content ?? '' };
    if (this.transitions >= MAX_ENTRIES) this.forget();
    if (from.generation === this.generation) {
      from.next.set(sequence, transition);
      this.transitions++;
    }
    return transition;
  }

  /**
   * apply for a sequence read from bytes, `ESC[` digits and `;` `m` (plain-line.ts checks that
   * shape): its parameters, when short (most are, `1;32`), are packed into a number, base 11, so
   * that a transition already known is found without making a string.
   */
  applyBytes(from: SgrState, bytes: Uint8Array, start: number, end: number): SgrTransition {
    // 11^15 is below 2^53: up to 14 parameter characters pack exactly (the leading 1 keeps their count).
    if (end - start - 3 > 14) return this.apply(from, latin1(bytes, start, end));
    let code = 1;
    for (let i = start + 2; i < end - 1; i++) {
      const byte = bytes[i]!;
      code = code * 11 + (byte === 0x3b ? 10 : byte - 0x30);
    }
    const known = from.nextByCode.get(code);
    if (known) return known;
    const transition = this.apply(from, latin1(bytes, start, end));
    if (from.generation === this.generation) from.nextByCode.set(code, transition);
    return transition;
  }

  /** Puts `state` into an anser instance (TerminalReader's, for the lines it reads in full). */
  static load(state: SgrState, anser: Anser): void {
    const engine = anser as unknown as AnserFields;
    engine.fg = state.fg;
    engine.bg = state.bg;
    engine.fg_truecolor = state.fgTruecolor;
    engine.bg_truecolor = state.bgTruecolor;
    engine.decorations = [...state.decorations];
  }

  /** The state an anser instance is in, with `style` in force. */
  stateOf(anser: Anser, style: Omit<Segment, 'text' | 'href'>): SgrState {
    const engine = anser as unknown as AnserFields;
    return this.intern(engine.fg, engine.bg, engine.fg_truecolor, engine.bg_truecolor, [...engine.decorations], style);
  }

  private intern(fg: string | null, bg: string | null, fgTruecolor: string | null, bgTruecolor: string | null, decorations: string[], style: Omit<Segment, 'text' | 'href'>): SgrState {
    const key = `${fg}|${bg}|${fgTruecolor}|${bgTruecolor}|${decorations.join(',')}|${style.classes ?? ''}|${style.style ?? ''}`;
    let state = this.states.get(key);
    if (state) return state;
    const attributes = `${style.classes ? ` class="${escapeHtml(style.classes)}"` : ''}${style.style ? ` style="${escapeHtml(style.style)}"` : ''}`;
    if (this.states.size >= MAX_ENTRIES) this.forget();
    state = { fg, bg, fgTruecolor, bgTruecolor, decorations, style, attributes, table: this, next: new Map(), nextByCode: new Map(), generation: this.generation };
    this.states.set(key, state);
    return state;
  }

  /**
   * Starts again: every state made so far forgets its transitions (the lines a log keeps still
   * hold their states, and a chain of states through their transitions would keep them all).
   */
  private forget(): void {
    for (const state of this.states.values()) {
      state.next.clear();
      state.nextByCode.clear();
    }
    this.states = new Map();
    this.transitions = 0;
    this.generation++;
  }
}

const latin1 = (bytes: Uint8Array, start: number, end: number) => Buffer.from(bytes.buffer, bytes.byteOffset + start, end - start).toString('latin1');

/** The fields of anser's state (its typings do not list them). */
interface AnserFields {
  fg: string | null;
  bg: string | null;
  fg_truecolor: string | null;
  bg_truecolor: string | null;
  decorations: string[];
}
