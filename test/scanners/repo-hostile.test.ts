// A repository that wants its AI tool files overlooked: thousands of tracked
// paths thousands of characters deep (legal for git) around a CLAUDE.md. The
// repo scanner must still find it within its time budget: matching a path is
// linear in its length, not in its length times its depth.
import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import { createHost } from '../../src/host.js';
import { compileCatalog } from '../../src/match/compile.js';
import { ALL_SCANNERS, runScanners } from '../../src/scanners/index.js';
import { makeTempDir, removeTempDirs } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('the repo scanner in a repository of very deep paths', () => {
  it('finds the CLAUDE.md among 3,000 paths of 2,000 segments each, and is not cut short', async () => {
    const home = await makeTempDir();
    const repo = await makeTempDir();
    const env = { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin', GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.test', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.test' };
    const git = (args: string[], input?: string) => execFileSync('git', args, { cwd: repo, env, input, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
    git(['init', '-q']);
    const blob = git(['hash-object', '-w', '--stdin'], 'hi\n').trim();
    const deep = 'a/'.repeat(2000);
    const entries = Array.from({ length: 3000 }, (_, i) => `100644 ${blob}\t${deep}f${i}\n`).join('') + `100644 ${blob}\tCLAUDE.md\n`;
    git(['update-index', '--index-info'], entries);

    const host = createHost({ env });
    const { probes } = compileCatalog(CATALOG, { os: host.os, home: host.home, env });
    const result = await runScanners(ALL_SCANNERS, { host, probes, cwd: repo, repoMode: 'tracked' }, ['repo']);
    expect(result.skipped).toEqual([]);
    expect(result.observations.filter((o) => o.kind === 'artifact').map((o) => (o as { file: string }).file)).toEqual(['CLAUDE.md']);
  }, 60_000);
});
