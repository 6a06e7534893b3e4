// The path index hands a path every pattern it could match, without running
// them: held here to running every pattern, for patterns filed under a whole
// segment and patterns filed under a literal run inside one (`*.AppImage`),
// with the run anywhere in the path and at its very end.
import { describe, expect, it } from 'vitest';
import { PathIndex } from '../../src/match/path-index.js';
import { compilePathPattern, type CompiledPathPattern } from '../../src/patterns.js';
import { seededRandom } from '../helpers/random.js';

const where = { os: 'linux' as const, home: '/home/ada', env: {} };

const PATTERNS = [
  '~/Applications/LM-Studio-*.AppImage',
  '~/Applications/*.AppImage',
  '/opt/*/msty*studio',
  '~/.local/bin/opencode-linux-*',
  '/opt/AnythingLLMDesktop*/anythingllm',
  '~/.claude/**',
  '/usr/lib/*/ab',
  '/x*/y*',
  // A run of exactly three characters: it can sit at the last position a run can start at.
  '/opt/*abc',
  // Two runs that start at the same place in a path, one beginning the other.
  '/opt/*studio-x*',
  '/opt/*studio*',
  // A run of characters that mean something to a regular expression.
  '/opt/*c++(x)$*',
];

describe('PathIndex', () => {
  const compiled = PATTERNS.map((pattern) => ({ pattern, compiled: compilePathPattern(pattern, where)! }));
  const index = new PathIndex<string>(compiled.map(({ pattern, compiled: c }) => ({ pattern: c, owner: pattern })));
  const matching = (path: string) => compiled.filter(({ compiled: c }: { compiled: CompiledPathPattern }) => c.match(path) !== undefined).map(({ pattern }) => pattern);
  const collected = (path: string) => {
    const into = new Set<string>();
    index.collect(path, into);
    return into;
  };

  it('collects every pattern a path matches, wherever the literal runs sit', () => {
    const next = seededRandom(7);
    const filler = ['', 'a', 'x-', 'Q', '.appimage', 'studio', 'é', '/', 'b/c'];
    const pick = () => filler[Math.floor(next() * filler.length)]!;
    const paths = [
      // The runs at the very end of a path.
      '/home/ada/Applications/x.AppImage',
      '/home/ada/Applications/LM-Studio-.AppImage',
      '/opt/m/mstystudio',
      '/home/ada/.local/bin/opencode-linux-',
      '/opt/AnythingLLMDesktop/anythingllm',
      '/x/y',
      '/opt/zabc',
      '/opt/studio-xy',
      '/opt/gc++(x)$',
    ];
    for (let i = 0; i < 3000; i++) {
      const { pattern } = compiled[Math.floor(next() * compiled.length)]!;
      paths.push(pattern.replace(/^~/, where.home).replace(/\*\*/g, () => pick() + pick()).replace(/\*/g, () => pick().replace('/', '')));
    }
    let hits = 0;
    for (const path of paths) {
      const got = collected(path);
      for (const pattern of matching(path)) {
        hits++;
        expect(got.has(pattern), `${path} → ${pattern}`).toBe(true);
      }
    }
    expect(hits).toBeGreaterThan(2000);
    // The paths with a run at their very end do match: the edge was tested, not skipped.
    for (const path of paths.slice(0, 9)) expect(matching(path).length, path).toBeGreaterThan(0);
  });

  it('adds the owners of a run once, however often the path repeats it (a policy may file thousands under one run)', () => {
    const many = Array.from({ length: 2000 }, (_, i) => ({ pattern: compilePathPattern(`/opt/*abc*`, where)!, owner: `p${i}` }));
    const crowded = new PathIndex<string>(many);
    let adds = 0;
    const into = new Set<string>();
    const add = into.add.bind(into);
    into.add = (owner: string) => {
      adds++;
      return add(owner);
    };
    crowded.collect(`/opt/${'abc'.repeat(1400)}`, into);
    expect(into.size).toBe(2000);
    expect(adds).toBe(2000);
  });

  it('collects no pattern filed under a run the path does not hold', () => {
    expect([...collected('/home/ada/Documents/notes.md')]).toEqual([]);
    expect([...collected('/home/ada/Applications/app.appimag')]).not.toContain('~/Applications/*.AppImage');
    expect([...collected('/home/ada/Applications/app.appimage')]).toContain('~/Applications/*.AppImage');
    expect([...collected('/opt/studio-xy')]).toEqual(expect.arrayContaining(['/opt/*studio-x*', '/opt/*studio*']));
  });
});
