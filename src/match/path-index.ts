/**
 * Which path patterns a path could match, found without running them: each
 * pattern is filed under one literal it cannot match without (see
 * RequiredText in src/patterns.ts), so a path is tested only against the
 * patterns whose literal it holds. The answer is a superset of the patterns
 * that match; the caller still runs them. Which literal only decides how few
 * patterns a path is tested against: a segment of the pattern's own rather
 * than of its anchor (the home folder is in most paths), not one that most
 * systems' paths have (`usr`, `bin`), and of those the rarest among the
 * patterns filed. Pure.
 */
import { toSlashes, type CompiledPathPattern } from '../patterns.js';

/** Segments too many paths have to pick a pattern out by. */
const COMMON = new Set([
  'usr', 'local', 'share', 'bin', 'sbin', 'lib', 'lib64', 'opt', 'home', 'users', 'root', 'tmp', 'var', 'etc',
  '.local', '.config', '.cache', 'node_modules', 'applications', 'programs', 'appdata', 'roaming', 'contents', 'macos',
  'resources', 'program files', 'versions', 'c:',
]);

const GRAM = 3;

/** The three UTF-16 code units of `text` from `at`, as one number (a Map key that needs no substring). */
function gramAt(text: string, at: number): number {
  return (text.charCodeAt(at) * 65536 + text.charCodeAt(at + 1)) * 65536 + text.charCodeAt(at + 2);
}

export class PathIndex<Owner> {
  /** Whole segment → the owners of the patterns filed under it. */
  private readonly bySegment = new Map<string, Owner[]>();
  /**
   * Patterns with no whole literal segment, filed under a literal run their matches contain: by the run's first
   * three characters (see gramAt), then by the run, so a path is looked at once per position, not once per pattern.
   */
  private readonly byFragment = new Map<number, Map<string, Owner[]>>();
  /** Runs shorter than three characters: tried on every path. */
  private readonly shortFragments: Array<{ fragment: string; owner: Owner }> = [];
  /** Patterns with no literal at all (`**`): every path is tested against them. */
  private readonly always: Owner[] = [];

  constructor(entries: ReadonlyArray<{ pattern: CompiledPathPattern; owner: Owner }>) {
    const own = ({ required }: CompiledPathPattern) => required.segments.filter((segment) => !COMMON.has(segment));
    const any = ({ required }: CompiledPathPattern) => [...required.segments, ...required.anchorSegments];
    const uses = new Map<string, number>();
    for (const { pattern } of entries) {
      for (const segment of new Set(any(pattern))) uses.set(segment, (uses.get(segment) ?? 0) + 1);
    }
    // Rarest first; of equals, the last, which is the more specific (`node_modules/@x/cli` → `cli`).
    const rarest = (segments: string[]) => segments.reduce((best, s) => (uses.get(s)! <= uses.get(best)! ? s : best));
    for (const { pattern, owner } of entries) {
      const { fragments } = pattern.required;
      const segments = own(pattern).length > 0 ? own(pattern) : fragments.length > 0 ? [] : any(pattern);
      if (segments.length > 0) {
        const segment = rarest(segments);
        const list = this.bySegment.get(segment);
        if (list) list.push(owner);
        else this.bySegment.set(segment, [owner]);
      } else if (fragments.length > 0) {
        const fragment = fragments.reduce((best, f) => (f.length > best.length ? f : best));
        if (fragment.length < GRAM) {
          this.shortFragments.push({ fragment, owner });
        } else {
          const gram = gramAt(fragment, 0);
          const runs = this.byFragment.get(gram) ?? new Map<string, Owner[]>();
          this.byFragment.set(gram, runs);
          const owners = runs.get(fragment);
          if (owners) owners.push(owner);
          else runs.set(fragment, [owner]);
        }
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
    if (this.byFragment.size > 0) {
      for (let at = 0; at + GRAM <= lower.length; at++) {
        const runs = this.byFragment.get(gramAt(lower, at));
        if (runs === undefined) continue;
        for (const [fragment, owners] of runs) {
          if (lower.startsWith(fragment, at)) for (const owner of owners) into.add(owner);
        }
      }
    }
    for (const { fragment, owner } of this.shortFragments) if (lower.includes(fragment)) into.add(owner);
    for (const owner of this.always) into.add(owner);
  }
}
