// Agent skills and browser AI extensions as a user meets them: the built CLI on
// a temp HOME holding skills in the agents' folders and AI extensions in
// Chrome and Brave profiles, next to look-alikes that must not count.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sarifValidator } from '../helpers/sarif-schema.js';
import { json, makeWorld, runCli, type World } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  action: string;
  rule: string;
  confidence: string;
  evidence: {
    path?: string;
    name?: string;
    version?: string;
    scope?: string;
    browser?: string;
    profile?: string;
    extensionId?: string;
    skill?: { description?: string; unread?: string; shell?: { injection: boolean; firstCommand?: string; preapprovedBash: boolean; scripts: boolean } };
    matched: string;
  };
  alternatives: Array<{ id: string; name: string; url?: string }>;
  remediation?: string;
}
interface Report {
  findings: Finding[];
  notes: Array<{ scanner: string; path?: string; message: string }>;
}

let world: World;
beforeEach(() => {
  world = makeWorld();
});
afterEach(() => world.cleanup());

const put = (path: string, content: string): string => {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};
const inHome = (relative: string, content: string) => put(join(world.home, relative), content);
const skill = (name: string, description: string, body = '') => `---\nname: ${name}\ndescription: ${description}\n---\n${body}`;
const CLAUDE_EXT = 'fcoeoabgfenejglbffodgkkbkcdhcgfn';
const MONICA_EXT = 'ofpnmcalabcbjgholdjcjblkibolbppb';

function installSkillsAndExtensions(): void {
  inHome('.claude/skills/release-notes/SKILL.md', skill('release-notes', 'Writes release notes.', 'Changes:\n!`git log --oneline -5`\n'));
  inHome('.agents/skills/shared-review/SKILL.md', skill('shared-review', 'Reviews a diff.'));
  // The repository's own skills, found from the working folder.
  mkdirSync(join(world.cwd, '.git'), { recursive: true });
  put(join(world.cwd, '.github/skills/triage/SKILL.md'), skill('triage', 'Triage issues.'));
  inHome(`.config/google-chrome/Default/Extensions/${CLAUDE_EXT}/1.0.81_0/manifest.json`, JSON.stringify({ name: 'Claude', version: '1.0.81' }));
  inHome(`.config/BraveSoftware/Brave-Browser/Profile 3/Extensions/${MONICA_EXT}/7.9.7_0/manifest.json`, JSON.stringify({ name: 'Monica', version: '7.9.7' }));

  // Look-alikes: an ordinary extension, a skills folder whose entry holds no SKILL.md, a SKILL.md in no agent's folder.
  inHome('.config/google-chrome/Default/Extensions/cjpalhdlnbpafiamejdnhcphjbkeiagm/1.63.2_0/manifest.json', JSON.stringify({ name: 'uBlock Origin', version: '1.63.2' }));
  inHome('.claude/skills/drafts/notes.md', 'not a skill\n');
  inHome('Documents/skills/stray/SKILL.md', skill('stray', 'in no agent folder'));
}

describe('check --format json', () => {
  it('reports each skill under its agent and each AI browser extension, with the evidence, and nothing for the look-alikes', async () => {
    installSkillsAndExtensions();
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = json<Report>(result);

    const skills = report.findings.filter((f) => f.kind === 'skill').map((f) => [f.tool, f.evidence.name, f.evidence.scope]).sort();
    expect(skills).toEqual([
      ['agent-instructions', 'shared-review', 'user'],
      ['claude-code', 'release-notes', 'user'],
      ['github-copilot', 'triage', 'project'],
    ]);
    const release = report.findings.find((f) => f.evidence.name === 'release-notes')!;
    expect(release).toMatchObject({
      action: 'warn',
      confidence: 'confirmed',
      evidence: {
        path: join(world.home, '.claude/skills/release-notes'),
        skill: { description: 'Writes release notes.', shell: { injection: true, firstCommand: 'git log --oneline -5', preapprovedBash: false, scripts: false } },
        matched: 'skill in ~/.claude/skills',
      },
    });

    const extensions = report.findings.filter((f) => f.kind === 'browser-extension');
    expect(extensions.map((f) => [f.tool, f.evidence.browser, f.evidence.profile, f.evidence.extensionId, f.evidence.name, f.evidence.version]).sort()).toEqual([
      ['claude-in-chrome', 'Chrome', 'Default', CLAUDE_EXT, 'Claude', '1.0.81'],
      ['monica', 'Brave', 'Profile 3', MONICA_EXT, 'Monica', '7.9.7'],
    ]);
    expect(JSON.stringify(report.findings)).not.toMatch(/cjpalhdlnbpafiamejdnhcphjbkeiagm|uBlock|stray|drafts/);
  });

  it('writes valid SARIF with a rule per tool and kind', async () => {
    installSkillsAndExtensions();
    const result = await runCli(['check', '--format', 'sarif'], world);
    const log = JSON.parse(result.stdout) as { runs: Array<{ results: Array<{ ruleId: string; message: { text: string } }> }> };
    const { validate } = sarifValidator();
    expect(validate(log), JSON.stringify(validate.errors)).toBe(true);
    const results = log.runs[0]!.results;
    expect(results.map((r) => r.ruleId)).toEqual(expect.arrayContaining(['aitool/claude-code/skill', 'aitool/claude-in-chrome/browser-extension', 'aitool/monica/browser-extension']));
    expect(results.find((r) => r.ruleId === 'aitool/claude-code/skill')?.message.text).toContain('runs shell commands when loaded (git log --oneline -5)');
  });

  it('leaves both scanners out when the policy turns them off', async () => {
    installSkillsAndExtensions();
    world.write('repo/.aitoolrc.yaml', 'scanners:\n  skills: false\n  browsers: false\n');
    const report = json<Report>(await runCli(['check', '--format', 'json'], world));
    expect(report.findings.filter((f) => f.kind === 'skill' || f.kind === 'browser-extension')).toEqual([]);
  });
});

describe('a policy that blocks them', () => {
  it('blocks a browser extension and the shared skills folder: exit 1, the rule, the alternative and how to remove it', async () => {
    installSkillsAndExtensions();
    world.write(
      'repo/.aitoolrc.yaml',
      [
        'tools:',
        '  claude-in-chrome:',
        '    action: block',
        '    reason: Browser agents may not act in logged-in sessions.',
        '    alternatives: [company-assistant]',
        '  agent-instructions:',
        '    action: block',
        '    alternatives: [company-assistant]',
        'alternatives:',
        '  company-assistant:',
        '    name: Company assistant',
        '    url: https://assistant.example.com',
        '',
      ].join('\n'),
    );
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = json<Report>(result);
    const extension = report.findings.find((f) => f.kind === 'browser-extension' && f.tool === 'claude-in-chrome')!;
    expect(extension).toMatchObject({ action: 'block', rule: 'tools.claude-in-chrome' });
    expect(extension.alternatives).toEqual([expect.objectContaining({ id: 'company-assistant', name: 'Company assistant', url: 'https://assistant.example.com' })]);
    expect(extension.remediation).toContain('Chrome (profile Default)');
    const shared = report.findings.find((f) => f.kind === 'skill' && f.tool === 'agent-instructions')!;
    expect(shared).toMatchObject({ action: 'block', rule: 'tools.agent-instructions', remediation: `delete the skill folder ${join(world.home, '.agents/skills/shared-review')}` });
    // What the policy does not name stays a warning.
    expect(report.findings.find((f) => f.tool === 'monica')?.action).toBe('warn');

    const text = await runCli(['check'], world);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('Claude in Chrome');
    expect(text.stdout).toContain('Company assistant');
    expect(text.stdout).toContain('runs shell at load: git log --oneline -5');
  });

  it('blocks by the new category', async () => {
    installSkillsAndExtensions();
    world.write('repo/.aitoolrc.yaml', 'categories:\n  browser-extension: block\n');
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode).toBe(1);
    const blocked = json<Report>(result).findings.filter((f) => f.action === 'block').map((f) => f.tool).sort();
    expect(blocked).toEqual(['claude-in-chrome', 'monica']);
  });
});

describe('hostile files', () => {
  it('neither reads a SKILL.md linked out of the home folder nor hangs on a FIFO manifest or a 50 MB one', async () => {
    const secret = put(join(world.root, 'outside/notes.md'), skill('leaked', 'SECRET-TOKEN-42'));
    mkdirSync(join(world.home, '.claude/skills/linked'), { recursive: true });
    symlinkSync(secret, join(world.home, '.claude/skills/linked/SKILL.md'));
    const fifoDir = join(world.home, `.config/google-chrome/Default/Extensions/${CLAUDE_EXT}/1.0.81_0`);
    mkdirSync(fifoDir, { recursive: true });
    execFileSync('mkfifo', [join(fifoDir, 'manifest.json')]);
    const big = inHome(`.config/google-chrome/Profile 1/Extensions/${MONICA_EXT}/7.9.7_0/manifest.json`, '{"name":"Monica"}');
    truncateSync(big, 50 * 1024 * 1024);

    const result = await runCli(['check', '--format', 'json'], world, {}, { timeoutMs: 20_000 });
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).not.toContain('SECRET-TOKEN-42');
    const report = json<Report>(result);
    expect(report.findings.find((f) => f.kind === 'skill')).toMatchObject({ tool: 'claude-code', evidence: { name: 'linked', skill: { unread: 'it links outside the home folder' } } });
    expect(report.findings.filter((f) => f.kind === 'browser-extension').map((f) => [f.tool, f.evidence.profile, f.evidence.version]).sort()).toEqual([
      ['claude-in-chrome', 'Default', '1.0.81'],
      ['monica', 'Profile 1', '7.9.7'],
    ]);
    expect(report.notes.map((n) => [n.scanner, n.message])).toEqual(
      expect.arrayContaining([
        ['browsers', 'manifest.json is not a regular file (fifo), not read'],
        ['browsers', `manifest.json over 1048576 bytes (${50 * 1024 * 1024}), not read`],
        ['skills', expect.stringContaining('outside the home folder and repository; not read')],
      ]),
    );
  });
});
