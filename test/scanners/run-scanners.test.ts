import { emptyProbes } from '../../src/scanners/probes.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { ALL_SCANNERS, runScanners } from '../../src/scanners/index.js';
import { tracesScanner } from '../../src/scanners/traces.js';
import type { Scanner } from '../../src/scanners/types.js';
import { makeTempDir, makeTree, removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('runScanners', () => {
  it('reports a scanner that throws and one that overruns its budget as skipped, and still returns the others', async () => {
    const home = await makeTempDir();
    await makeTree(home, { '.claude/settings.json': '{}' });
    let hangingSignal: AbortSignal | undefined;
    const throwing: Scanner = {
      name: 'processes',
      budgetMs: 1000,
      async scan({ note }) {
        note({ message: 'about to fail' });
        throw new Error('ps: not found');
      },
    };
    const hanging: Scanner = {
      name: 'path',
      budgetMs: 100,
      scan({ signal, note }) {
        hangingSignal = signal;
        signal.addEventListener('abort', () => note({ message: 'said after its budget' }));
        return new Promise(() => {});
      },
    };

    const result = await runScanners(
      [throwing, hanging, tracesScanner],
      { host: createHost({ env: { HOME: home } }), probes: emptyProbes({ homePaths: ['~/.claude'] }) },
      ['processes', 'path', 'traces'],
    );

    expect(result.skipped).toEqual([
      { scanner: 'processes', reason: 'ps: not found' },
      { scanner: 'path', reason: 'timed out after 100 ms' },
    ]);
    expect(result.observations).toEqual([expect.objectContaining({ kind: 'trace', path: `${home}/.claude` })]);
    expect(hangingSignal?.aborted).toBe(true);
    // A note made before the failure is kept; one made past the budget is not.
    expect(result.notes).toEqual([{ scanner: 'processes', message: 'about to fail' }]);
  });

  it('runs only the enabled scanners', async () => {
    const ran: string[] = [];
    const spy = (name: Scanner['name']): Scanner => ({
      name,
      budgetMs: 1000,
      async scan() {
        ran.push(name);
        return [];
      },
    });
    await runScanners([spy('processes'), spy('path'), spy('traces')], { host: createHost({ env: {} }), probes: emptyProbes() }, ['path']);
    expect(ran).toEqual(['path']);
  });

  it('stops every scanner when the whole scan is cancelled', async () => {
    const controller = new AbortController();
    const forever: Scanner = { name: 'traces', budgetMs: 60_000, scan: () => new Promise(() => {}) };
    const running = runScanners([forever], { host: createHost({ env: {} }), probes: emptyProbes(), signal: controller.signal });
    controller.abort();
    expect((await running).skipped).toEqual([{ scanner: 'traces', reason: 'cancelled' }]);
  });

  it('loads each scanner lazily with the budget its own module gives it', async () => {
    const modules = await Promise.all([
      import('../../src/scanners/processes.js').then((m) => m.processesScanner),
      import('../../src/scanners/path.js').then((m) => m.pathScanner),
      import('../../src/scanners/traces.js').then((m) => m.tracesScanner),
      import('../../src/scanners/packages.js').then((m) => m.packagesScanner),
      import('../../src/scanners/editors.js').then((m) => m.editorsScanner),
      import('../../src/scanners/apps.js').then((m) => m.appsScanner),
      import('../../src/scanners/configs.js').then((m) => m.configsScanner),
      import('../../src/scanners/skills.js').then((m) => m.skillsScanner),
      import('../../src/scanners/browsers.js').then((m) => m.browsersScanner),
      import('../../src/scanners/session.js').then((m) => m.sessionScanner),
      import('../../src/scanners/repo.js').then((m) => m.repoScanner),
    ]);
    expect(ALL_SCANNERS.map((s) => [s.name, s.budgetMs])).toEqual(modules.map((s) => [s.name, s.budgetMs]));
  });

  it('has every scanner of this release, each with its budget', () => {
    expect(ALL_SCANNERS.map((scanner) => [scanner.name, scanner.budgetMs])).toEqual([
      ['processes', 3000],
      ['path', 3000],
      ['traces', 2000],
      ['packages', 3000],
      ['editors', 3000],
      ['apps', 3000],
      ['configs', 2000],
      ['skills', 2000],
      ['browsers', 2000],
      ['session', 2000],
      ['repo', 3000],
    ]);
  });
});
