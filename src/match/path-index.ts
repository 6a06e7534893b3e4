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

/** What the index files a pattern by: only what it cannot match without. */
type Filed = Pick<CompiledPathPattern, 'required'>;

/** Segments too many paths have to pick a pattern out by. */
const COMMON = new Set([
  'usr', 'local', 'share', 'bin', 'sbin', 'lib', 'lib64', 'opt', 'home', 'users', 'root', 'tmp', 'var', 'etc',
  '.local', '.config', '.cache', 'node_modules', 'applications', 'programs', 'appdata', 'roaming', 'contents', 'macos',
  'resources', 'program files', 'versions', 'c:',
]);

/** A PathIndex's filing: each segment and run with the owners filed under it, and the owners tried on every path. */
export interface PathIndexData<Owner> {
  segments: Array<[string, Owner[]]>;
  runs: Array<[string, Owner[]]>;
  always: Owner[];
}

export class PathIndex<Owner> {
  /** Whole segment → the owners of the patterns filed under it. */
  private readonly bySegment = new Map<string, Owner[]>();
  /** Patterns with no whole literal segment, filed under a literal run their matches contain (lower-cased). */
  private readonly byFragment = new Map<string, Owner[]>();
  /**
   * Where in a path any of those runs starts, and the longest run starting there: one expression tried once
   * along the path, instead of each run looked for in it (with 500 tools that was ~100 runs on every path).
   */
  private fragmentFinder?: RegExp;
  /** Each run found so far, and the runs that begin it (itself among them): what else starts where it does. */
  private readonly fragmentPrefixes = new Map<string, string[]>();
  /** Patterns with no literal at all (`**`): every path is tested against them. */
  private readonly always: Owner[] = [];

  /**
   * `filed`: patterns filed already (PathIndexData, the built-in catalog's, made at build time), which `entries`
   * are filed beside. A pattern's owners keep their order: the filed ones first.
   */
  constructor(entries: ReadonlyArray<{ pattern: Filed; owner: Owner }>, filed?: PathIndexData<Owner>) {
    const copy = (list: Owner[]) => [...list];
    for (const [segment, owners] of filed?.segments ?? []) this.bySegment.set(segment, copy(owners));
    for (const [run, owners] of filed?.runs ?? []) this.byFragment.set(run, copy(owners));
    this.always.push(...(filed?.always ?? []));
    const own = ({ required }: Filed) => required.segments.filter((segment) => !COMMON.has(segment));
    const any = ({ required }: Filed) => [...required.segments, ...required.anchorSegments];
    // How many patterns need each segment; for the patterns filed already, how many were filed under it.
    const uses = new Map<string, number>([...this.bySegment].map(([segment, owners]) => [segment, owners.length]));
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
        const owners = this.byFragment.get(fragment);
        if (owners) owners.push(owner);
        else this.byFragment.set(fragment, [owner]);
      } else {
        this.always.push(owner);
      }
    }
    const runs = [...this.byFragment.keys()];
    if (runs.length > 0) {
      // Longest first: at each place the first run that matches is the longest there, and the others there begin it.
      const alternatives = runs.sort((a, b) => b.length - a.length).map((run) => run.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
      this.fragmentFinder = new RegExp(`(?=(${alternatives.join('|')}))`, 'g');
    }
  }

  /** Where each pattern is filed, as JSON-safe data (for the build: the built-in catalog's, per OS). */
  data(): PathIndexData<Owner> {
    return { segments: [...this.bySegment], runs: [...this.byFragment], always: [...this.always] };
  }

  /** The runs that begin `run` (itself among them), worked out the first time it is found: linear in its length. */
  private prefixesOf(run: string): string[] {
    let prefixes = this.fragmentPrefixes.get(run);
    if (prefixes === undefined) {
      prefixes = [];
      for (let length = 1; length <= run.length; length++) {
        const prefix = run.slice(0, length);
        if (this.byFragment.has(prefix)) prefixes.push(prefix);
      }
      this.fragmentPrefixes.set(run, prefixes);
    }
    return prefixes;
  }

  /** Adds to `into` the owners of every pattern `path` could match. */
  collect(path: string, into: Set<Owner>): void {
    const lower = toSlashes(path).toLowerCase();
    for (const segment of lower.split('/')) {
      const owners = this.bySegment.get(segment);
      if (owners) for (const owner of owners) into.add(owner);
    }
    const finder = this.fragmentFinder;
    if (finder) {
      // Each run's owners are added once, however often the run occurs; once every run is found, the rest of the path
      // cannot add any.
      let seen: Set<string> | undefined;
      finder.lastIndex = 0;
      for (let found = finder.exec(lower); found !== null && (seen?.size ?? 0) < this.byFragment.size; found = finder.exec(lower)) {
        seen ??= new Set<string>();
        for (const run of this.prefixesOf(found[1]!)) {
          if (seen.has(run)) continue;
          seen.add(run);
          for (const owner of this.byFragment.get(run)!) into.add(owner);
        }
        // The match is empty (a lookahead): go on from the next place.
        finder.lastIndex = found.index + 1;
      }
    }
    for (const owner of this.always) into.add(owner);
  }
}
