// The installed-software inventory as a user meets it: the built CLI on a temp
// HOME that holds one AI tool of each kind the inventory scanners find, with
// the layouts the real installers leave.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pluginJar } from '../fixtures/editors/zip-writer.js';
import { json, makeWorld, runCli, type World } from './run-cli.js';

interface Finding {
  tool: string;
  kind: string;
  action: string;
  rule: string;
  confidence: string;
  evidence: {
    path?: string;
    version?: string;
    installMethod?: string;
    package?: string;
    editor?: string;
    extensionId?: string;
    source?: string;
    server?: { name: string; command?: string; args?: string[] };
    scope?: string;
    line?: number;
    matched: string;
  };
  alternatives: Array<{ id: string; name: string; install?: string }>;
  remediation?: string;
}
interface Report {
  findings: Finding[];
  skipped: Array<{ scanner: string; reason: string }>;
  notes: Array<{ scanner: string; path?: string; message: string }>;
  summary: { block: number; warn: number; allow: number; mcpServers: { block: number; warn: number; allow: number } };
}

let world: World;
beforeEach(() => {
  world = makeWorld();
});
afterEach(() => {
  // A folder made unreadable must be readable again for the clean-up to remove it.
  execFileSync('chmod', ['-R', 'u+rwX', world.root]);
  world.cleanup();
});

const home = (relative: string, content: string | Buffer): string => {
  const path = join(world.home, relative);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, content);
  return path;
};
const packageJson = (name: string, version: string) => JSON.stringify({ name, version });

/** One AI tool of each inventory kind, laid out as its installer leaves it. */
function installOneOfEach(): void {
  // npm global under the prefix ~/.npmrc names; the npx cache; pipx; Claude Code's native installer.
  home('.npmrc', `prefix=${join(world.home, '.npm-global')}\n`);
  home('.npm-global/lib/node_modules/@openai/codex/package.json', packageJson('@openai/codex', '0.63.0'));
  home('.npm/_npx/3b1c8e2f0a9d4c57/node_modules/@google/gemini-cli/package.json', packageJson('@google/gemini-cli', '0.17.1'));
  home(
    '.local/share/pipx/venvs/aider-chat/lib/python3.12/site-packages/aider_chat-0.86.1.dist-info/METADATA',
    'Metadata-Version: 2.4\nName: aider-chat\nVersion: 0.86.1\nSummary: AI pair programming in your terminal\n',
  );
  home('.local/share/claude/versions/2.0.50', '\x7fELF');
  // A VS Code extension, a JetBrains plugin jar, a Neovim plugin and Zed's agent settings.
  home(
    '.vscode/extensions/github.copilot-chat-0.33.2/package.json',
    JSON.stringify({ name: 'copilot-chat', publisher: 'GitHub', version: '0.33.2' }),
  );
  home('.local/share/JetBrains/IntelliJIdea2025.2/tabnine-intellij/lib/tabnine-intellij-1.200.jar', pluginJar('com.tabnine.TabNine', '1.200'));
  home('.local/share/nvim/lazy/avante.nvim/README.md', '');
  home('.local/share/nvim/lazy/windsurf.nvim/lua/codeium.lua', '');
  home('.config/zed/settings.json', '// Zed settings\n{ "agent": { "default_model": { "provider": "anthropic", "model": "claude-sonnet-4" } }, }\n');
  // Desktop apps: a Cursor AppImage, and a menu entry for a Windsurf install.
  home('Applications/Cursor-1.7.52-x86_64.AppImage', '\x7fELF');
  home('.local/share/applications/windsurf.desktop', '[Desktop Entry]\nName=Windsurf\nExec=/usr/share/windsurf/windsurf %F\nType=Application\n');
  // MCP servers: Cursor's user file, and a project .mcp.json (Claude Code) in the repository being checked.
  home('.cursor/mcp.json', JSON.stringify({ mcpServers: { github: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-github'] } } }));
  execFileSync('git', ['init', '-q', world.cwd]);
  world.write('repo/.mcp.json', JSON.stringify({ mcpServers: { shell: { command: 'uvx', args: ['mcp-server-shell'] } } }));
  // The block Qoder's npm postinstall appends to ~/.bashrc.
  home('.bashrc', '# my aliases\nalias ll="ls -l"\n# QODER_DISPATCHER_PATH v1\nexport PATH="$HOME/.qoder/bin:$PATH"\n# END QODER_DISPATCHER_PATH v1\n');
}

/** Findings from the temp world only: the machine itself, and other tests' processes, may hold AI tools too. */
const inWorld = (report: Report) => report.findings.filter((f) => f.evidence.path?.startsWith(world.root) && f.kind !== 'trace');

const row = (f: Finding) => [f.tool, f.kind, f.evidence.version ?? null, f.evidence.installMethod ?? null, f.evidence.path!.slice(world.root.length + 1)];

describe('aitool check --format json on a HOME with one AI tool of each installed kind', () => {
  it('reports each as its own finding with tool id, kind, version and install method', async () => {
    installOneOfEach();
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = json<Report>(result);
    expect(report.skipped).toEqual([]);
    expect(inWorld(report).map(row).sort()).toEqual(
      [
        ['aider', 'package', '0.86.1', 'pipx', 'home/.local/share/pipx/venvs/aider-chat'],
        ['claude-code', 'mcp-server', null, null, 'repo/.mcp.json'],
        ['claude-code', 'package', '2.0.50', 'native', 'home/.local/share/claude/versions/2.0.50'],
        ['codex', 'package', '0.63.0', 'npm', 'home/.npm-global/lib/node_modules/@openai/codex'],
        ['cursor', 'app', '1.7.52', 'app', 'home/Applications/Cursor-1.7.52-x86_64.AppImage'],
        ['cursor', 'mcp-server', null, null, 'home/.cursor/mcp.json'],
        ['gemini-cli', 'package', '0.17.1', 'npx', 'home/.npm/_npx/3b1c8e2f0a9d4c57/node_modules/@google/gemini-cli'],
        ['github-copilot', 'extension', '0.33.2', 'extension', 'home/.vscode/extensions/github.copilot-chat-0.33.2'],
        ['qoder', 'config-change', null, null, 'home/.bashrc'],
        ['tabnine', 'extension', '1.200', 'extension', 'home/.local/share/JetBrains/IntelliJIdea2025.2/tabnine-intellij'],
        ['windsurf', 'app', null, 'app', 'home/.local/share/applications/windsurf.desktop'],
        ['windsurf', 'extension', null, 'extension', 'home/.local/share/nvim/lazy/windsurf.nvim'],
        ['zed-ai', 'extension', null, 'extension', 'home/.config/zed/settings.json'],
      ].sort(),
    );
    // A plugin no catalog tool claims (avante.nvim talks to any provider) is not a finding.
    expect(report.findings.some((f) => f.evidence.path?.includes('avante'))).toBe(false);

    const byKind = (tool: string, kind: string) => inWorld(report).find((f) => f.tool === tool && f.kind === kind)!;
    expect(byKind('codex', 'package')).toMatchObject({
      action: 'warn',
      confidence: 'confirmed',
      evidence: { package: '@openai/codex' },
      remediation: 'npm uninstall -g @openai/codex',
    });
    expect(byKind('aider', 'package').remediation).toMatch(/pipx uninstall aider-chat/);
    expect(byKind('github-copilot', 'extension')).toMatchObject({ evidence: { editor: 'VS Code', extensionId: 'github.copilot-chat' } });
    expect(byKind('tabnine', 'extension')).toMatchObject({ evidence: { editor: 'IntelliJIdea2025.2', extensionId: 'com.tabnine.TabNine' } });
    expect(byKind('cursor', 'app')).toMatchObject({ evidence: { source: 'appimage' } });
    expect(byKind('cursor', 'app').remediation).toContain('Cursor-1.7.52-x86_64.AppImage');
    expect(byKind('qoder', 'config-change')).toMatchObject({ evidence: { line: 3 } });
    expect(byKind('claude-code', 'mcp-server')).toMatchObject({
      action: 'allow',
      rule: 'mcp.default',
      evidence: { scope: 'project', server: { name: 'shell', command: 'uvx', args: ['mcp-server-shell'] } },
    });
    expect(report.summary.mcpServers).toEqual({ block: 0, warn: 0, allow: 2 });
  });

  it('blocks an MCP server and an installed tool by policy, names the alternative, and exits 1', async () => {
    installOneOfEach();
    world.write(
      'repo/.aitoolrc.yaml',
      [
        'tools:',
        '  codex:',
        '    action: block',
        '    alternatives: [qoder]',
        'mcp:',
        '  servers:',
        '    shell:',
        '      action: block',
        '      reason: Agents may not run arbitrary commands through MCP.',
        '      alternatives: [task-runner]',
        '    any-github:',
        '      command: server-github',
        '      action: warn',
        'alternatives:',
        '  task-runner:',
        '    name: Build task runner MCP',
        '    install: "see go/mcp"',
        '',
      ].join('\n'),
    );
    const result = await runCli(['check', '--format', 'json'], world);
    expect(result.exitCode, result.stderr).toBe(1);
    const report = json<Report>(result);
    const servers = inWorld(report).filter((f) => f.kind === 'mcp-server');
    expect(servers.map((f) => [f.evidence.server?.name, f.action, f.rule, f.alternatives.map((a) => a.id)]).sort()).toEqual([
      ['github', 'warn', 'mcp.servers.any-github', []],
      ['shell', 'block', 'mcp.servers.shell', ['task-runner']],
    ]);
    const codex = inWorld(report).find((f) => f.tool === 'codex')!;
    expect([codex.action, codex.alternatives.map((a) => a.id)]).toEqual(['block', ['qoder']]);
    // The client tool itself keeps its own verdict: the repository's server is blocked, Claude Code only warned.
    expect(inWorld(report).find((f) => f.tool === 'claude-code' && f.kind === 'package')!.action).toBe('warn');

    const text = await runCli(['check', '--no-color'], world);
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toContain('✖ BLOCK  MCP server shell (configured for Claude Code; rule mcp.servers.shell)');
    expect(text.stdout).toContain('Use instead: Build task runner MCP — install: see go/mcp');
    expect(text.stdout).toContain(`To remove: delete the "shell" server from ${join(world.cwd, '.mcp.json')}`);
    expect(text.stdout).toMatch(/; 2 MCP server\(s\) configured: 1 blocked, 1 to review, 0 allowed\./);
  });
});

describe('aitool check on a hostile HOME', () => {
  it('passes over a huge tree, an unreadable folder, a symlink loop, FIFOs and a 1 GB package.json, quickly and in bounded memory', async () => {
    installOneOfEach();
    // Huge: 4,000 extension folders and 2,000 global npm packages nobody asked about.
    for (let i = 0; i < 4000; i++) mkdirSync(join(world.home, `.vscode/extensions/acme.tool${i}-1.0.${i}`), { recursive: true });
    for (let i = 0; i < 2000; i++) mkdirSync(join(world.home, `.npm-global/lib/node_modules/pkg-${i}`), { recursive: true });
    // A 1 GB package.json where a catalog package lives, and a FIFO named like a catalog extension's folder and its manifest.
    const huge = home('.npm-global/lib/node_modules/@anthropic-ai/claude-code/package.json', '');
    truncateSync(huge, 1024 ** 3);
    execFileSync('mkfifo', [join(world.home, '.vscode/extensions/anthropic.claude-code-2.0.50')]);
    mkdirSync(join(world.home, '.vscode/extensions/continue.continue-1.2.0'));
    execFileSync('mkfifo', [join(world.home, '.vscode/extensions/continue.continue-1.2.0/package.json')]);
    mkdirSync(join(world.cwd, '.vscode'));
    execFileSync('mkfifo', [join(world.cwd, '.vscode/mcp.json')]);
    // A symlink loop among the Neovim plugins, and an unreadable JetBrains product folder.
    symlinkSync('.', join(world.home, '.local/share/nvim/lazy/loop'));
    symlinkSync('b', join(world.home, '.local/share/nvim/lazy/a'));
    symlinkSync('a', join(world.home, '.local/share/nvim/lazy/b'));
    const locked = join(world.home, '.local/share/JetBrains/PyCharm2025.2');
    mkdirSync(join(locked, 'github-copilot-intellij/lib'), { recursive: true });
    chmodSync(locked, 0o000);

    // Root reads any folder whatever its mode, so as root the scan runs as nobody, who can read the rest.
    const asRoot = process.getuid?.() === 0;
    const rssFile = join(world.root, 'rss');
    writeFileSync(rssFile, '');
    if (asRoot) {
      execFileSync('chmod', ['-R', 'a+rX', world.root]);
      chmodSync(locked, 0o000);
      chmodSync(rssFile, 0o666);
    }
    const preload = join(import.meta.dirname, '..', 'helpers', 'report-rss.mjs');

    // The time limit only turns a hang into a failure; speed is measured by `npm run bench`.
    const result = await runCli(
      ['check', '--format', 'json'],
      world,
      { AITOOL_TEST_RSS_FILE: rssFile },
      { nodeArgs: ['--import', preload], timeoutMs: 20_000, ...(asRoot ? { uid: 65534, gid: 65534 } : {}) },
    );
    expect(result.exitCode, result.stderr).toBe(0);
    const report = json<Report>(result);

    // Everything the other tests find is still found.
    expect(inWorld(report).length).toBeGreaterThanOrEqual(13);
    expect(report.skipped).toEqual([]);
    // A folder's name still says what it holds: hiding a tool behind a 1 GB or FIFO manifest hides nothing,
    // it only costs the version. Nothing else among the traps became a finding.
    const trapped = (p: string) => /claude-code|continue|PyCharm|lazy\/(loop|a|b)$|\.vscode\/mcp\.json/.test(p);
    expect(inWorld(report).filter((f) => trapped(f.evidence.path!)).map(row).sort()).toEqual([
      ['claude-code', 'package', null, 'npm', 'home/.npm-global/lib/node_modules/@anthropic-ai/claude-code'],
      ['continue', 'extension', '1.2.0', 'extension', 'home/.vscode/extensions/continue.continue-1.2.0'],
    ]);
    // What was passed over is noted with its path: the 1 GB manifest, the FIFO in the file's place, the unreadable folder.
    expect(report.notes.filter((n) => n.path?.startsWith(world.root)).sort((a, b) => a.scanner.localeCompare(b.scanner))).toEqual([
      { scanner: 'configs', path: join(world.cwd, '.vscode/mcp.json'), message: 'not a regular file (fifo), not read' },
      { scanner: 'editors', path: locked, message: 'folder unreadable (EACCES)' },
      { scanner: 'packages', path: huge, message: 'larger than 256 KiB, not read' },
    ]);

    const peakKb = Number(readFileSync(rssFile, 'utf8'));
    expect(peakKb).toBeGreaterThan(0);
    expect(peakKb / 1024).toBeLessThan(200);
  });
});
