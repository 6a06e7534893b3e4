/**
 * Which path patterns a path could match, found without running them: each
 * pattern is filed under one literal it cannot match without (see
 * RequiredText in src/patterns.ts), the rarest among the patterns filed, so
 * a path is tested only against the patterns whose literal it holds. The
 * answer is a superset of the patterns that match; the caller still runs
 * them. Pure.
 */
import { toSlashes, type CompiledPathPattern } from '../patterns.js';

export class PathIndex<Owner> {
  /** Whole segment → the owners of the patterns filed under it. */
  private readonly bySegment = new Map<string, Owner[]>();
  /** Patterns with no whole literal segment, filed under a literal run their matches contain. */
  private readonly byFragment: Array<{ fragment: string; owner: Owner }> = [];
  /** Patterns with no literal at all (`**`): every path is tested against them. */
  private readonly always: Owner[] = [];

  constructor(entries: ReadonlyArray<{ pattern: CompiledPathPattern; owner: Owner }>) {
    const uses = new Map<string, number>();
    for (const { pattern } of entries) {
      for (const segment of new Set(pattern.required.segments)) uses.set(segment, (uses.get(segment) ?? 0) + 1);
    }
    for (const { pattern, owner } of entries) {
      const { segments, fragments } = pattern.required;
      if (segments.length > 0) {
        // Rarest first; of equals, the last, which is the more specific (`node_modules/@x/cli` → `cli`).
        const segment = segments.reduce((best, s) => (uses.get(s)! <= uses.get(best)! ? s : best));
        const list = this.bySegment.get(segment);
        if (list) list.push(owner);
        else this.bySegment.set(segment, [owner]);
      } else if (fragments.length > 0) {
        const fragment = fragments.reduce((best, f) => (f.length > best.length ? f : best));
        this.byFragment.push({ fragment, owner });
      } else {
        this.always.push(owner);
      }
    }
  }

  /** Adds to `into` the owners of every pattern `path` could match. */
  collect(path: string, into: Set<Owner>): void {
    const lower = toSlashes(path).toLowerCase();
    for (const segment of lower.split('/')) {
      const owners = this.bySegment.get(segment);
      if (owners) for (const owner of owners) into.add(owner);
    }
    for (const { fragment, owner } of this.byFragment) if (lower.includes(fragment)) into.add(owner);
    for (const owner of this.always) into.add(owner);
  }
}
