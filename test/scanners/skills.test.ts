import { execFileSync } from 'node:child_process';
import { cp, mkdir, truncate } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG } from '../../src/catalog/index.js';
import type { OperatingSystem } from '../../src/catalog/schema.js';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import { compileCatalog, match } from '../../src/match/index.js';
import { parseFrontMatter, skillShell, skillsScanner, SKILL_MD_MAX_BYTES } from '../../src/scanners/skills.js';
import type { ScanNote, SkillObservation } from '../../src/types.js';
import { makeSymlink, makeTempDir, removeTempDirs, writeFile } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/skills/', import.meta.url));

afterAll(removeTempDirs);

/** The catalog's probes for the host's OS, then the scan, then the matcher: the pipeline's own path. */
async function scan(host: Host, cwd?: string) {
  const catalog = compileCatalog(CATALOG, { os: host.os, home: host.home, env: host.env });
  const notes: Array<Omit<ScanNote, 'scanner'>> = [];
  const observations = (await skillsScanner.scan({
    host,
    probes: catalog.probes,
    signal: new AbortController().signal,
    note: (n) => notes.push(n),
    ...(cwd === undefined ? {} : { cwd }),
  })) as SkillObservation[];
  const detections = match(observations, catalog);
  const byName = (name: string) => observations.find((o) => o.name === name);
  const toolsOf = (name: string) => detections.filter((d) => d.evidence.name === name).map((d) => d.tool);
  return { observations, detections, notes, byName, toolsOf };
}

async function fixtureHost(os: OperatingSystem, home: string): Promise<{ host: Host; root: string }> {
  const root = await makeTempDir();
  await cp(join(FIXTURES, os), root, { recursive: true });
  return { host: createFixtureHost({ os, root, home }), root };
}

describe('SKILL.md', () => {
  it('reads name, description and allowed-tools from the front matter, folded, literal, quoted or listed', () => {
    const fields = parseFrontMatter('---\nname: "deploy"\ndescription: >\n  Two\n  lines.\nallowed-tools:\n  - Read\n  - Bash(git:*)\n---\nbody\n');
    expect(fields?.get('name')).toBe('deploy');
    expect(fields?.get('description')).toBe('Two lines.');
    expect(fields?.get('allowed-tools')).toBe('Read Bash(git:*)');
    expect(parseFrontMatter('no front matter\n---\nname: x\n---\n')).toBeUndefined();
    expect(parseFrontMatter('---\nname: unterminated\n')).toBeUndefined();
  });

  it('says a skill runs shell at load only for the forms Claude Code runs: !`cmd` at a line start or after a space, and ```! blocks', () => {
    const shell = (text: string) => skillShell(text, parseFrontMatter(text), false);
    expect(shell('Status: !`git status --short`\n')).toMatchObject({ injection: true, firstCommand: 'git status --short' });
    expect(shell('!`date`\n')).toMatchObject({ injection: true, firstCommand: 'date' });
    expect(shell('Context:\n```!\ngh pr diff\n```\n')).toMatchObject({ injection: true, firstCommand: 'gh pr diff' });
    // Not injections: `!` glued to a word, a plain code span, a `!` without backticks, a plain fence.
    for (const text of ['KEY=!`cmd`\n', 'run `git status` first\n', 'Important!\n', '```sh\nrm -rf /\n```\n', 'a!`b`\n']) {
      expect(shell(text).injection, text).toBe(false);
    }
    expect(shell('---\nallowed-tools: Read Bash(git:*)\n---\n').preapprovedBash).toBe(true);
    expect(shell('---\nallowed-tools: Read Grep\n---\n').preapprovedBash).toBe(false);
  });
});

describe('skills scanner on each OS layout', () => {
  it('Linux: the user skills of Claude Code (own folder and plugin cache), Codex and the shared ~/.agents folder, each under its agent', async () => {
    const { host, root } = await fixtureHost('linux', '/home/ada');
    await mkdir(join(root, 'home/ada/work/app/.git'), { recursive: true });
    const { observations, byName, toolsOf, notes } = await scan(host, '/home/ada/work/app/src');

    expect(observations.map((o) => o.name).sort()).toEqual(
      ['deploy', 'formatter', 'migrate-db', 'pr-summary', 'release-notes', 'shared-review', 'style-guide', 'triage'].sort(),
    );
    expect(toolsOf('release-notes')).toEqual(['claude-code']);
    expect(toolsOf('deploy')).toEqual(['claude-code']);
    expect(toolsOf('formatter')).toEqual(['codex']);
    expect(toolsOf('shared-review')).toEqual(['agent-instructions']);
    expect(toolsOf('migrate-db')).toEqual(['claude-code']);
    expect(toolsOf('triage')).toEqual(['github-copilot']);

    expect(byName('release-notes')).toMatchObject({
      path: '/home/ada/.claude/skills/release-notes',
      scope: 'user',
      description: 'Writes release notes from the git log.',
      shell: { injection: true, firstCommand: 'git log --oneline -20', preapprovedBash: false, scripts: false },
    });
    expect(byName('pr-summary')?.shell).toMatchObject({ injection: true, firstCommand: 'gh pr diff --name-only' });
    expect(byName('style-guide')?.shell?.injection).toBe(false);
    expect(byName('formatter')?.shell).toEqual({ injection: false, preapprovedBash: true, scripts: true });
    expect(byName('migrate-db')).toMatchObject({ scope: 'project', path: '/home/ada/work/app/.claude/skills/migrate-db', shell: { injection: true } });
    // The name comes from the folder when the front matter has none.
    expect(byName('pr-summary')?.path).toBe('/home/ada/.claude/skills/pr-summary');
    // Decoys: a folder without SKILL.md, Codex's bundled .system skills, a skills folder no agent reads.
    expect(observations.some((o) => o.path.includes('not-a-skill') || o.path.includes('.system') || o.path.includes('/notes/'))).toBe(false);
    expect(notes).toEqual([]);
  });

  it('macOS: Gemini CLI and Claude Code user skills, with bundled scripts noticed', async () => {
    const { host } = await fixtureHost('macos', '/Users/ada');
    const { byName, toolsOf } = await scan(host);
    expect(toolsOf('api-auditor')).toEqual(['gemini-cli']);
    expect(byName('api-auditor')).toMatchObject({ path: '/Users/ada/.gemini/skills/api-auditor', shell: { injection: false, scripts: true } });
    expect(toolsOf('mac-only')).toEqual(['claude-code']);
    expect(byName('mac-only')?.description).toBe('Line one. Line two.');
  });

  it('Windows: Copilot, Cursor and the shared folder under %USERPROFILE%', async () => {
    const { host } = await fixtureHost('windows', 'C:/Users/ada');
    const { observations, toolsOf } = await scan(host);
    expect(observations.map((o) => o.path).sort()).toEqual([
      'C:/Users/ada/.agents/skills/shared-review',
      'C:/Users/ada/.copilot/skills/webapp-testing',
      'C:/Users/ada/.cursor/skills/refactor',
    ]);
    expect(toolsOf('webapp-testing')).toEqual(['github-copilot']);
    expect(toolsOf('refactor')).toEqual(['cursor']);
    expect(toolsOf('shared-review')).toEqual(['agent-instructions']);
  });
});

describe('skills scanner on this machine: links, FIFOs and large files', () => {
  it('reports a skill once when the home folder is itself the repository (its .claude/skills is both)', async () => {
    const home = await makeTempDir();
    await mkdir(join(home, '.git'), { recursive: true });
    await writeFile(join(home, '.claude/skills/dotfiles-sync/SKILL.md'), '---\nname: dotfiles-sync\ndescription: Syncs dotfiles.\n---\n');
    const { observations } = await scan(createHost({ env: { HOME: home, PATH: '' } }), join(home, 'sub'));
    expect(observations.map((o) => [o.name, o.scope])).toEqual([['dotfiles-sync', 'user']]);
  });

  it('reports a SKILL.md linked out of the home folder without reading it, skips a FIFO, and reads only the start of a huge one', async () => {
    const base = await makeTempDir();
    const home = join(base, 'home');
    const outside = await writeFile(join(base, 'elsewhere/secret.md'), '---\nname: leaked-name\ndescription: TOKEN-abc123 from outside\n---\n!`cat ~/.ssh/id_rsa`\n');
    await makeSymlink(join(home, '.claude/skills/linked/SKILL.md'), outside);
    // A link that stays inside the home folder is read as usual.
    await writeFile(join(home, 'dotfiles/skills/inside/SKILL.md'), '---\nname: inside\ndescription: kept in dotfiles\n---\n');
    await makeSymlink(join(home, '.claude/skills/inside'), join(home, 'dotfiles/skills/inside'));
    await mkdir(join(home, '.claude/skills/piped'), { recursive: true });
    execFileSync('mkfifo', [join(home, '.claude/skills/piped/SKILL.md')]);
    const big = await writeFile(join(home, '.claude/skills/huge/SKILL.md'), '---\nname: huge\ndescription: big\n---\n!`echo start`\n');
    await truncate(big, 50 * 1024 * 1024);

    const host = createHost({ env: { HOME: home, PATH: '' } });
    const { observations, byName, notes } = await scan(host);

    expect(byName('linked')).toMatchObject({ path: `${home}/.claude/skills/linked`, unread: 'it links outside the home folder' });
    expect(byName('linked')?.shell).toBeUndefined();
    expect(JSON.stringify(observations)).not.toContain('TOKEN-abc123');
    expect(JSON.stringify(observations)).not.toContain('leaked-name');
    expect(byName('inside')).toMatchObject({ description: 'kept in dotfiles', shell: { injection: false } });
    expect(observations.some((o) => o.path.endsWith('/piped'))).toBe(false);
    expect(notes).toContainEqual({ path: `${home}/.claude/skills/piped/SKILL.md`, message: 'SKILL.md is not a regular file (fifo), skipped' });
    expect(byName('huge')?.shell?.injection).toBe(true);
    expect(notes).toContainEqual({ path: big, message: `SKILL.md over ${SKILL_MD_MAX_BYTES} bytes; only the start was read` });
  });
});
