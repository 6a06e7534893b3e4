// The manifest the pre-commit framework reads from this repository, and the
// package fields that let it install aitool from a git checkout.
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

interface ManifestHook {
  id: string;
  name: string;
  entry: string;
  language: string;
  stages?: string[];
  pass_filenames?: boolean;
  always_run?: boolean;
  minimum_pre_commit_version?: string;
}

describe('.pre-commit-hooks.yaml', () => {
  it('declares aitool-commit (everything, at commit-msg), and aitool (pre-commit) with aitool-commit-msg (commit-msg), as node hooks running aitool hook run', async () => {
    const hooks = parse(await readFile(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as ManifestHook[];
    expect(hooks.map((h) => h.id)).toEqual(['aitool', 'aitool-commit-msg', 'aitool-commit']);
    const [main, commitMsg, oneProcess] = hooks;
    // The one-process hook runs where the message exists, and gets it as its one file name, as aitool-commit-msg does.
    expect(oneProcess).toMatchObject({ entry: 'aitool hook run commit', language: 'node', stages: ['commit-msg'], always_run: true });
    expect(oneProcess?.pass_filenames).not.toBe(false);
    expect(main).toMatchObject({ entry: 'aitool hook run pre-commit', language: 'node', stages: ['pre-commit'], pass_filenames: false, always_run: true });
    // pre-commit passes a commit-msg hook the message file as its one file name: it must not be switched off.
    expect(commitMsg).toMatchObject({ entry: 'aitool hook run commit-msg', language: 'node', stages: ['commit-msg'] });
    expect(commitMsg?.pass_filenames).not.toBe(false);
    for (const hook of hooks) {
      expect(hook.name).toBeTruthy();
      // The stage name `pre-commit` (formerly `commit`) needs pre-commit 3.2.0.
      expect(hook.minimum_pre_commit_version).toBe('3.2.0');
    }
  });

  it('package.json lets `npm install` + `npm pack` from a checkout produce the aitool bin', async () => {
    const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[]; scripts: Record<string, string> };
    expect(pkg.bin.aitool).toBe('bin/aitool.js');
    expect(pkg.files).toEqual(expect.arrayContaining(['bin', 'dist']));
    // dist/ is not in git: pre-commit's `npm install` in the checkout runs prepare, which builds it (the same build as `npm run build`).
    expect(pkg.scripts.prepare).toBe(pkg.scripts.build);
    expect(pkg.scripts.build).toMatch(/scripts\/build\.mjs/);
  });
});
