import type { StateStack } from '@shikijs/vscode-textmate';

/**
 * Small integer ids for vscode-textmate grammar states, equal exactly when the states are equal
 * in everything the next line's tokenizing reads: per frame of the rule stack, its rule, the end
 * pattern it captured (a heredoc's delimiter), whether its begin captured the end of line, and
 * its scope lists (names and theme attributes). Two lines of the same text that start in states
 * with the same id are tokenized the same, so their result can be reused (tokenizer.ts).
 *
 * vscode-textmate keeps these fields on its state objects without exporting their type; if a
 * version renames one, `idOf` returns undefined and nothing is reused, rather than guessing.
 */
interface StateFrame {
  parent: StateFrame | null;
  ruleId: number;
  endRule: string | null;
  beginRuleCapturedEOL: boolean;
  nameScopesList: ScopeFrame | null;
  contentNameScopesList: ScopeFrame | null;
}

interface ScopeFrame {
  parent: ScopeFrame | null;
  scopeName: string;
  tokenAttributes: number;
}

export class GrammarStateIds {
  private readonly interned = new Map<string, number>();
  // States and scope lists are shared, immutable objects: each is keyed once.
  private readonly stateIds = new WeakMap<object, number>();
  private readonly scopeIds = new WeakMap<object, number>();

  /** The id of `state`, or undefined when it does not look like a vscode-textmate state. */
  idOf(state: StateStack): number | undefined {
    return this.stateId(state as unknown as StateFrame);
  }

  private intern(key: string): number {
    let id = this.interned.get(key);
    if (id === undefined) {
      id = this.interned.size + 1;
      this.interned.set(key, id);
    }
    return id;
  }

  private stateId(frame: StateFrame | null): number | undefined {
    if (frame === null) return 0;
    const known = this.stateIds.get(frame);
    if (known !== undefined) return known;
    if (typeof frame.ruleId !== 'number' || typeof frame.beginRuleCapturedEOL !== 'boolean' || !('endRule' in frame) || !('parent' in frame)) return undefined;
    const parent = this.stateId(frame.parent);
    const names = this.scopeId(frame.nameScopesList);
    const contents = this.scopeId(frame.contentNameScopesList);
    if (parent === undefined || names === undefined || contents === undefined) return undefined;
    // The end rule is text of any length (a captured delimiter): it goes last, after fixed fields.
    const id = this.intern(`s${parent},${frame.ruleId},${frame.beginRuleCapturedEOL ? 1 : 0},${names},${contents},${frame.endRule === null ? '-' : `=${frame.endRule}`}`);
    this.stateIds.set(frame, id);
    return id;
  }

  private scopeId(list: ScopeFrame | null): number | undefined {
    if (list === null) return 0;
    const known = this.scopeIds.get(list);
    if (known !== undefined) return known;
    if (typeof list.scopeName !== 'string' || typeof list.tokenAttributes !== 'number' || !('parent' in list)) return undefined;
    const parent = this.scopeId(list.parent);
    if (parent === undefined) return undefined;
    const id = this.intern(`c${parent},${list.tokenAttributes},${list.scopeName}`);
    this.scopeIds.set(list, id);
    return id;
  }
}
