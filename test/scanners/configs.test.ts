import { execFileSync } from 'node:child_process';
import { mkdir, open } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { CATALOG, findTool } from '../../src/catalog/index.js';
import type { McpConfig } from '../../src/catalog/schema.js';
import { createFixtureHost, createHost, type Host } from '../../src/host.js';
import { configsScanner, redactArgs, redactUrl, repositoryRoot } from '../../src/scanners/configs.js';
import { emptyProbes, probesFor } from '../../src/scanners/probes.js';
import type { Probes } from '../../src/scanners/types.js';
import type { ConfigChangeObservation, McpServerObservation, Observation, ScanNote } from '../../src/types.js';
import { makeTempDir, makeTree, removeTempDirs, writeFile } from '../helpers/temp.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/configs/', import.meta.url));

afterAll(removeTempDirs);

type Note = Omit<ScanNote, 'scanner'>;

async function scan(
  host: Host,
  probes: Partial<Probes>,
  options: { cwd?: string; signal?: AbortSignal } = {},
): Promise<{ observations: Observation[]; servers: McpServerObservation[]; changes: ConfigChangeObservation[]; notes: Note[] }> {
  const notes: Note[] = [];
  const observations = await configsScanner.scan({
    host,
    probes: emptyProbes(probes),
    ...(options.cwd === undefined ? {} : { cwd: options.cwd }),
    signal: options.signal ?? new AbortController().signal,
    note: (note) => notes.push(note),
  });
  return {
    observations,
    servers: observations.filter((o): o is McpServerObservation => o.kind === 'mcp-server'),
    changes: observations.filter((o): o is ConfigChangeObservation => o.kind === 'config-change'),
    notes,
  };
}

/** Fails instead of hanging when a read blocks (a FIFO opened for reading would). */
function withinMs<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not finish within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function gitInit(dir: string): void {
  execFileSync('git', ['init', '-q', dir], { stdio: 'ignore' });
}

/** Which catalog tools list an MCP configuration path. */
function toolsWithConfig(path: string): string[] {
  return CATALOG.filter((tool) => tool.signatures.mcpConfigs?.some((config) => config.path === path)).map((tool) => tool.id);
}

const SECRETS = [
  'ghp_envSecret',
  'ghp_argSecret',
  'argFlagSecret',
  'sentryQuerySecret',
  'sentryHeaderSecret',
  'zapierEnvSecret',
  'dbPassword',
  'zedEnvSecret',
];

const LINUX_CONFIGS: McpConfig[] = [
  { path: '~/.claude.json', format: 'projects.mcpServers' },
  { path: '.mcp.json', format: 'mcpServers' },
  { path: '.vscode/mcp.json', format: 'servers' },
  { path: '.cursor/mcp.json', format: 'mcpServers' },
  { path: '~/.codeium/windsurf/mcp_config.json', format: 'mcpServers' },
  { path: '$XDG_CONFIG_HOME/zed/settings.json', format: 'context_servers' },
  { path: '$XDG_CONFIG_HOME/*/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', format: 'mcpServers' },
  { path: '~/.gemini/settings.json', format: 'mcpServers' },
  { path: '%APPDATA%/Claude/claude_desktop_config.json', format: 'mcpServers' },
];

describe('configs scanner: MCP servers', () => {
  it('lists servers of each format from a temp HOME and the repository holding the working folder', async () => {
    const home = await makeTempDir();
    const repo = await makeTempDir();
    gitInit(repo);
    const cwd = join(repo, 'packages/web/src');
    await mkdir(cwd, { recursive: true });
    await makeTree(home, {
      '.claude.json': JSON.stringify({
        numStartups: 12,
        mcpServers: { memory: { type: 'stdio', command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'], env: {} } },
        projects: {
          [repo]: {
            allowedTools: [],
            mcpServers: {
              sentry: {
                type: 'http',
                url: 'https://mcp.sentry.dev/mcp?token=sentryQuerySecret&org=acme',
                headers: { Authorization: 'Bearer sentryHeaderSecret' },
              },
            },
          },
          '/home/ada/other': { allowedTools: [] },
        },
      }),
      '.codeium/windsurf/mcp_config.json': JSON.stringify({
        mcpServers: { zapier: { serverUrl: 'https://actions.zapier.com/mcp/sse', env: { ZAPIER_KEY: 'zapierEnvSecret' } } },
      }),
      '.config/zed/settings.json': [
        '// Zed settings',
        '{',
        '  "context_servers": {',
        '    "time": { "command": { "path": "uvx", "args": ["mcp-server-time"], "env": { "K": "zedEnvSecret" } } },',
        '    "docs": { "command": "docs-mcp", "args": ["--stdio"], },',
        '    "remote": { "url": "https://user:dbPassword@mcp.example.com/mcp" },',
        '  },',
        '}',
      ].join('\n'),
      '.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json': JSON.stringify({
        mcpServers: { fetch: { command: 'uvx', args: ['mcp-server-fetch'], disabled: false, alwaysAllow: [] } },
      }),
      '.config/Cursor/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json': JSON.stringify({
        mcpServers: { git: { command: 'uvx', args: ['mcp-server-git'] } },
      }),
      '.gemini/settings.json': JSON.stringify({
        theme: 'Dracula',
        mcpServers: { amap: { httpUrl: 'https://mcp.amap.com/mcp?key=zapierEnvSecret', timeout: 5000 } },
      }),
    });
    await makeTree(repo, {
      '.mcp.json': JSON.stringify({
        mcpServers: {
          github: {
            command: 'docker',
            args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN=ghp_argSecret', 'ghcr.io/github/github-mcp-server'],
            env: { GITHUB_PERSONAL_ACCESS_TOKEN: 'ghp_envSecret' },
          },
          api: { command: 'node', args: ['server.js', '--api-key', 'argFlagSecret', '--port', '8080'] },
        },
      }),
      // Not at the repository root: not read.
      'packages/web/.mcp.json': JSON.stringify({ mcpServers: { nested: { command: 'nested' } } }),
      '.vscode/mcp.json': [
        '{',
        '  // VS Code writes comments and trailing commas',
        '  "inputs": [],',
        '  "servers": {',
        '    "playwright": { "type": "stdio", "command": "npx", "args": ["@playwright/mcp@latest",], },',
        '    /* remote */ "context7": { "type": "http", "url": "https://mcp.context7.com/mcp" },',
        '  },',
        '}',
      ].join('\n'),
    });
    const host = createHost({ env: { HOME: home } });

    const { servers, notes } = await scan(host, { mcpConfigs: LINUX_CONFIGS }, { cwd });

    const user = (config: string, path: string, name: string, rest: Partial<McpServerObservation> = {}): McpServerObservation => ({
      kind: 'mcp-server',
      config,
      path,
      scope: 'user',
      name,
      ...rest,
    });
    const project = (config: string, name: string, rest: Partial<McpServerObservation> = {}): McpServerObservation => ({
      kind: 'mcp-server',
      config,
      path: `${repo}/${config}`,
      scope: 'project',
      name,
      ...rest,
    });
    const clinePattern = LINUX_CONFIGS[6]!.path;
    expect(servers).toEqual([
      user('~/.claude.json', `${home}/.claude.json`, 'memory', { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] }),
      user('~/.claude.json', `${home}/.claude.json`, 'sentry', { project: repo, url: 'https://mcp.sentry.dev/mcp?token=***&org=acme' }),
      project('.mcp.json', 'github', {
        command: 'docker',
        args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN=***', 'ghcr.io/github/github-mcp-server'],
      }),
      project('.mcp.json', 'api', { command: 'node', args: ['server.js', '--api-key', '***', '--port', '8080'] }),
      project('.vscode/mcp.json', 'playwright', { command: 'npx', args: ['@playwright/mcp@latest'] }),
      project('.vscode/mcp.json', 'context7', { url: 'https://mcp.context7.com/mcp' }),
      user('~/.codeium/windsurf/mcp_config.json', `${home}/.codeium/windsurf/mcp_config.json`, 'zapier', { url: 'https://actions.zapier.com/mcp/sse' }),
      user('$XDG_CONFIG_HOME/zed/settings.json', `${home}/.config/zed/settings.json`, 'time', { command: 'uvx', args: ['mcp-server-time'] }),
      user('$XDG_CONFIG_HOME/zed/settings.json', `${home}/.config/zed/settings.json`, 'docs', { command: 'docs-mcp', args: ['--stdio'] }),
      user('$XDG_CONFIG_HOME/zed/settings.json', `${home}/.config/zed/settings.json`, 'remote', { url: 'https://***@mcp.example.com/mcp' }),
      user(clinePattern, `${home}/.config/Code/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`, 'fetch', {
        command: 'uvx',
        args: ['mcp-server-fetch'],
      }),
      user(clinePattern, `${home}/.config/Cursor/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json`, 'git', {
        command: 'uvx',
        args: ['mcp-server-git'],
      }),
      user('~/.gemini/settings.json', `${home}/.gemini/settings.json`, 'amap', { url: 'https://mcp.amap.com/mcp?key=***' }),
    ]);
    expect(notes).toEqual([]);
    // Neither env, headers nor secret values reach an observation.
    const serialised = JSON.stringify(servers);
    for (const secret of SECRETS) expect(serialised).not.toContain(secret);
    for (const server of servers) {
      expect(Object.keys(server).sort()).toEqual(
        expect.arrayContaining(['config', 'kind', 'name', 'path', 'scope']),
      );
      expect(server).not.toHaveProperty('env');
      expect(server).not.toHaveProperty('headers');
    }
  });

  it('reads project files from the working folder when it is in no repository, and not at all without one', async () => {
    const home = await makeTempDir();
    const cwd = await makeTempDir();
    await makeTree(cwd, { '.mcp.json': JSON.stringify({ mcpServers: { local: { command: 'local-mcp' } } }) });
    await makeTree(home, { '.cursor/mcp.json': JSON.stringify({ mcpServers: { global: { command: 'global-mcp' } } }) });
    const host = createHost({ env: { HOME: home } });
    const mcpConfigs: McpConfig[] = [
      { path: '.mcp.json', format: 'mcpServers' },
      { path: '~/.cursor/mcp.json', format: 'mcpServers' },
    ];
    expect(await repositoryRoot(host, cwd)).toBe(cwd);

    const inFolder = await scan(host, { mcpConfigs }, { cwd });
    expect(inFolder.servers.map((s) => [s.name, s.scope, s.path])).toEqual([
      ['local', 'project', `${cwd}/.mcp.json`],
      ['global', 'user', `${home}/.cursor/mcp.json`],
    ]);

    const noCwd = await scan(host, { mcpConfigs });
    expect(noCwd.servers.map((s) => [s.name, s.scope])).toEqual([['global', 'user']]);
  });

  it('finds the repository root through a `.git` file (worktrees, submodules) from deep inside', async () => {
    const root = await makeTempDir();
    await makeTree(root, { '.git': 'gitdir: /elsewhere/.git/worktrees/x\n', 'a/b/c/d/.keep': '' });
    const host = createHost({ env: { HOME: await makeTempDir() } });
    expect(await repositoryRoot(host, `${root}/a/b/c/d`)).toBe(root);
  });

  it('reads a file that is both the user file and the project file once, as the user file', async () => {
    const home = await makeTempDir();
    gitInit(home);
    await makeTree(home, { '.gemini/settings.json': JSON.stringify({ mcpServers: { one: { command: 'one' } } }) });
    const host = createHost({ env: { HOME: home } });
    const { servers } = await scan(
      host,
      {
        mcpConfigs: [
          { path: '.gemini/settings.json', format: 'mcpServers' },
          { path: '~/.gemini/settings.json', format: 'mcpServers' },
        ],
      },
      { cwd: home },
    );
    expect(servers.map((s) => [s.config, s.scope, s.name])).toEqual([['~/.gemini/settings.json', 'user', 'one']]);
  });

  it('notes malformed JSON and wrong shapes with the path, and goes on with the other files', async () => {
    const home = await makeTempDir();
    const repo = await makeTempDir();
    gitInit(repo);
    await makeTree(repo, {
      '.mcp.json': '{"mcpServers": {"broken": {"command": "x"',
      '.cursor/mcp.json': JSON.stringify({ mcpServers: ['not', 'an', 'object'] }),
      '.vscode/mcp.json': '[1, 2]',
      '.kiro/settings/mcp.json': '',
      '.roo/mcp.json': JSON.stringify({ mcpServers: { fine: { command: 'fine' }, odd: 'not a server', nil: null } }),
    });
    const host = createHost({ env: { HOME: home } });
    const { servers, notes } = await scan(
      host,
      {
        mcpConfigs: [
          { path: '.mcp.json', format: 'mcpServers' },
          { path: '.cursor/mcp.json', format: 'mcpServers' },
          { path: '.vscode/mcp.json', format: 'servers' },
          { path: '.kiro/settings/mcp.json', format: 'mcpServers' },
          { path: '.roo/mcp.json', format: 'mcpServers' },
        ],
      },
      { cwd: repo },
    );
    expect(servers.map((s) => s.name)).toEqual(['fine']);
    expect(notes).toHaveLength(3);
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: `${repo}/.mcp.json`, message: expect.stringMatching(/^malformed JSON, skipped \(.+\)$/) },
        { path: `${repo}/.cursor/mcp.json`, message: '`mcpServers` is not an object, skipped' },
        { path: `${repo}/.vscode/mcp.json`, message: 'not a JSON object, skipped' },
      ]),
    );
  });

  it('does not open a FIFO named .mcp.json, and notes it', async () => {
    const home = await makeTempDir();
    const repo = await makeTempDir();
    gitInit(repo);
    execFileSync('mkfifo', [join(repo, '.mcp.json')]);
    execFileSync('mkfifo', [join(home, '.bashrc')]);
    const host = createHost({ env: { HOME: home } });
    const { observations, notes } = await withinMs(
      scan(
        host,
        { mcpConfigs: [{ path: '.mcp.json', format: 'mcpServers' }], fileMarkers: [{ path: '~/.bashrc', pattern: 'x' }] },
        { cwd: repo },
      ),
      5000,
    );
    expect(observations).toEqual([]);
    expect(notes).toEqual(
      expect.arrayContaining([
        { path: `${repo}/.mcp.json`, message: 'not a regular file (fifo), not read' },
        { path: `${home}/.bashrc`, message: 'not a regular file (fifo), not read' },
      ]),
    );
  });

  it('does not read a 1 GB ~/.claude.json, and notes it', async () => {
    const home = await makeTempDir();
    const path = join(home, '.claude.json');
    const handle = await open(path, 'w');
    await handle.write('{"mcpServers": {"big": {"command": "x"}}, "pad": "');
    await handle.truncate(1024 ** 3); // sparse: no real disk used
    await handle.close();
    const host = createHost({ env: { HOME: home } });
    const started = Date.now();
    const { observations, notes } = await withinMs(scan(host, { mcpConfigs: [{ path: '~/.claude.json', format: 'projects.mcpServers' }] }), 5000);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(observations).toEqual([]);
    expect(notes).toEqual([{ path, message: `larger than 8 MiB (${1024 ** 3} bytes), not read` }]);
  });

  it('reads a macOS layout through a fixture host with the catalog probes (Claude Desktop, Zed)', async () => {
    const host = createFixtureHost({ os: 'macos', root: join(FIXTURES, 'macos'), home: '/Users/ada' });
    const { servers, notes } = await scan(host, { mcpConfigs: probesFor(CATALOG, 'macos').mcpConfigs });
    const claudeConfig = '~/Library/Application Support/Claude/claude_desktop_config.json';
    const claudePath = '/Users/ada/Library/Application Support/Claude/claude_desktop_config.json';
    expect(servers).toEqual([
      {
        kind: 'mcp-server',
        config: claudeConfig,
        path: claudePath,
        scope: 'user',
        name: 'filesystem',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-filesystem', '/Users/ada/Desktop'],
      },
      {
        kind: 'mcp-server',
        config: claudeConfig,
        path: claudePath,
        scope: 'user',
        name: 'github',
        command: 'docker',
        args: ['run', '-i', '--rm', '-e', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'ghcr.io/github/github-mcp-server'],
      },
      { kind: 'mcp-server', config: '~/.config/zed/settings.json', path: '/Users/ada/.config/zed/settings.json', scope: 'user', name: 'mcp-server-context7' },
      {
        kind: 'mcp-server',
        config: '~/.config/zed/settings.json',
        path: '/Users/ada/.config/zed/settings.json',
        scope: 'user',
        name: 'local-mcp',
        command: '/opt/homebrew/bin/uvx',
        args: ['mcp-server-time'],
      },
    ]);
    expect(notes).toEqual([]);
    expect(JSON.stringify(servers)).not.toContain('ghp_');
    expect(toolsWithConfig(claudeConfig)).toEqual(['claude-desktop']);
    expect(toolsWithConfig('~/.config/zed/settings.json')).toEqual(['zed-ai']);
  });

  it('reads a Windows layout through a fixture host with the catalog probes (%APPDATA%, Code/User/mcp.json with comments)', async () => {
    // In catalog order: claude-code, claude-desktop, github-copilot, zed-ai.
    const host = createFixtureHost({
      os: 'windows',
      root: join(FIXTURES, 'windows'),
      home: 'C:\\Users\\ada',
      env: { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
    });
    const { servers, notes } = await scan(host, { mcpConfigs: probesFor(CATALOG, 'windows').mcpConfigs });
    expect(notes).toEqual([]);
    expect(servers.map((s) => ({ ...s, tools: toolsWithConfig(s.config) }))).toEqual([
      {
        kind: 'mcp-server',
        config: '~/.claude.json',
        path: 'C:/Users/ada/.claude.json',
        scope: 'user',
        name: 'postgres',
        project: 'C:/Users/ada/src/app',
        command: 'npx',
        args: ['-y', '@modelcontextprotocol/server-postgres', 'postgresql://***@localhost/app'],
        tools: ['claude-code'],
      },
      {
        kind: 'mcp-server',
        config: '%APPDATA%/Claude/claude_desktop_config.json',
        path: 'C:/Users/ada/AppData/Roaming/Claude/claude_desktop_config.json',
        scope: 'user',
        name: 'sqlite',
        command: 'uvx',
        args: ['mcp-server-sqlite', '--db-path', 'C:\\Users\\ada\\test.db'],
        tools: ['claude-desktop'],
      },
      {
        kind: 'mcp-server',
        config: '%APPDATA%/Code/User/mcp.json',
        path: 'C:/Users/ada/AppData/Roaming/Code/User/mcp.json',
        scope: 'user',
        name: 'github',
        url: 'https://api.githubcopilot.com/mcp/',
        tools: ['github-copilot'],
      },
      {
        kind: 'mcp-server',
        config: '%APPDATA%/Code/User/mcp.json',
        path: 'C:/Users/ada/AppData/Roaming/Code/User/mcp.json',
        scope: 'user',
        name: 'playwright',
        command: 'npx',
        args: ['@playwright/mcp@latest'],
        tools: ['github-copilot'],
      },
      {
        kind: 'mcp-server',
        config: '%APPDATA%/Zed/settings.json',
        path: 'C:/Users/ada/AppData/Roaming/Zed/settings.json',
        scope: 'user',
        name: 'remote',
        url: 'https://mcp.example.com/mcp?api_key=***&region=eu',
        tools: ['zed-ai'],
      },
      {
        kind: 'mcp-server',
        config: '%APPDATA%/Zed/settings.json',
        path: 'C:/Users/ada/AppData/Roaming/Zed/settings.json',
        scope: 'user',
        name: 'plain',
        command: 'C:/Tools/server.exe',
        args: ['--stdio'],
        tools: ['zed-ai'],
      },
    ]);
    const serialised = JSON.stringify(servers);
    for (const secret of ['windowsDbSecret', 'zedWindowsSecret', 'zedHeaderSecret', 'input:pat']) expect(serialised).not.toContain(secret);
  });

  it('finds the catalog locations on a Linux home and maps each back to its client tool', async () => {
    const home = await makeTempDir();
    const repo = await makeTempDir();
    gitInit(repo);
    const server = (name: string) => JSON.stringify({ mcpServers: { [name]: { command: name } } });
    await makeTree(home, {
      '.claude.json': JSON.stringify({ projects: { [repo]: { mcpServers: { local: { command: 'local' } } } } }),
      '.cursor/mcp.json': server('cursor-user'),
      '.config/Code/User/mcp.json': JSON.stringify({ servers: { 'vscode-user': { command: 'vscode-user' } } }),
      '.config/Code/User/profiles/5d2f/mcp.json': JSON.stringify({ servers: { 'vscode-profile': { command: 'vscode-profile' } } }),
      '.copilot/mcp-config.json': server('copilot-cli'),
      '.config/Code/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json': server('roo-user'),
      '.config/Windsurf/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json': server('kilo-in-windsurf'),
      '.kiro/settings/mcp.json': server('kiro-user'),
      '.aws/amazonq/mcp.json': server('q-user'),
      '.aws/amazonq/cli-agents/reviewer.json': JSON.stringify({ name: 'reviewer', mcpServers: { 'q-agent': { command: 'q-agent' } } }),
      '.qwen/settings.json': server('qwen-user'),
      '.config/Claude/claude_desktop_config.json': server('desktop-linux'),
    });
    await makeTree(repo, {
      '.mcp.json': server('claude-project'),
      '.cursor/mcp.json': server('cursor-project'),
      '.vscode/mcp.json': JSON.stringify({ servers: { 'vscode-project': { command: 'vscode-project' } } }),
      '.gemini/settings.json': server('gemini-project'),
      '.roo/mcp.json': server('roo-project'),
      '.kiro/settings/mcp.json': server('kiro-project'),
      '.amazonq/mcp.json': server('q-project'),
    });
    const host = createHost({ env: { HOME: home } });
    const { servers, notes } = await scan(host, { mcpConfigs: probesFor(CATALOG, 'linux').mcpConfigs }, { cwd: repo });
    expect(notes).toEqual([]);
    const byName = Object.fromEntries(servers.map((s) => [s.name, [toolsWithConfig(s.config).join(','), s.scope]]));
    expect(byName).toEqual({
      local: ['claude-code', 'user'],
      'claude-project': ['claude-code', 'project'],
      'cursor-user': ['cursor', 'user'],
      'cursor-project': ['cursor', 'project'],
      'vscode-user': ['github-copilot', 'user'],
      'vscode-profile': ['github-copilot', 'user'],
      'vscode-project': ['github-copilot', 'project'],
      'copilot-cli': ['github-copilot', 'user'],
      'roo-user': ['roo-code', 'user'],
      'roo-project': ['roo-code', 'project'],
      'kilo-in-windsurf': ['kilo-code', 'user'],
      'kiro-user': ['kiro', 'user'],
      'kiro-project': ['kiro', 'project'],
      'q-user': ['amazon-q', 'user'],
      'q-agent': ['amazon-q', 'user'],
      'q-project': ['amazon-q', 'project'],
      'gemini-project': ['gemini-cli', 'project'],
      'qwen-user': ['qwen-code', 'user'],
      'desktop-linux': ['claude-desktop', 'user'],
    });
    expect(servers.find((s) => s.name === 'local')?.project).toBe(repo);
  });

  it('stops when the budget has run out', async () => {
    const home = await makeTempDir();
    await makeTree(home, { '.cursor/mcp.json': JSON.stringify({ mcpServers: { a: { command: 'a' } } }) });
    const controller = new AbortController();
    controller.abort(new Error('timed out'));
    const host = createHost({ env: { HOME: home } });
    await expect(scan(host, { mcpConfigs: [{ path: '~/.cursor/mcp.json', format: 'mcpServers' }] }, { signal: controller.signal })).rejects.toThrow(
      'timed out',
    );
  });
});

describe('configs scanner: file markers', () => {
  const QODER_BLOCK = [
    '# QODER_DISPATCHER_PATH v1',
    'if [ -d "$HOME/.qoder/entry" ]; then export PATH="$HOME/.qoder/entry:$PATH"; fi',
    '# END QODER_DISPATCHER_PATH v1',
  ];

  it('reports the Qoder block in .bashrc and .profile and its git ignore, with the right lines (catalog markers)', async () => {
    const home = await makeTempDir();
    const bashrc = [...Array.from({ length: 117 }, (_, i) => `# line ${i + 1}`), 'alias ll="ls -l"', '', ...QODER_BLOCK].join('\n');
    const profile = ['# ~/.profile', 'if [ -n "$BASH_VERSION" ]; then', '  . "$HOME/.bashrc"', 'fi', ...QODER_BLOCK, ''].join('\r\n');
    await makeTree(home, {
      '.bashrc': bashrc,
      '.profile': profile,
      '.config/git/ignore': '# Qoder local files (private, not committed)\nAGENTS.local.md\n*.local.md\n',
    });
    const host = createHost({ env: { HOME: home } });
    const fileMarkers = findTool('qoder')!.signatures.fileMarkers!;
    const { observations, notes } = await scan(host, { fileMarkers });
    expect(notes).toEqual([]);
    expect(observations).toEqual([
      { kind: 'config-change', path: `${home}/.bashrc`, marker: '~/.bashrc =~ /^# QODER_DISPATCHER_PATH/', line: 120, excerpt: '# QODER_DISPATCHER_PATH v1' },
      { kind: 'config-change', path: `${home}/.profile`, marker: '~/.profile =~ /^# QODER_DISPATCHER_PATH/', line: 5, excerpt: '# QODER_DISPATCHER_PATH v1' },
      {
        kind: 'config-change',
        path: `${home}/.config/git/ignore`,
        marker: '$XDG_CONFIG_HOME/git/ignore =~ /^AGENTS\\.local\\.md$/',
        line: 2,
        excerpt: 'AGENTS.local.md',
      },
    ]);
    // The catalog's markers are exactly these (so the test covers the shipped data).
    expect(probesFor(CATALOG, 'linux').fileMarkers).toEqual(expect.arrayContaining(fileMarkers));
  });

  it('reports nothing for profiles without the block', async () => {
    const home = await makeTempDir();
    await makeTree(home, {
      '.bashrc': 'export PATH="$HOME/bin:$PATH" # QODER_DISPATCHER_PATH mentioned mid-line\nalias gs="git status"\n',
      '.profile': '',
      '.config/git/ignore': '*.swp\nAGENTS.local.md.bak\n',
    });
    const host = createHost({ env: { HOME: home } });
    const { observations, notes } = await scan(host, { fileMarkers: findTool('qoder')!.signatures.fileMarkers! });
    expect(observations).toEqual([]);
    expect(notes).toEqual([]);
  });

  it('trims and cuts the excerpt, reads a file named by two markers once, and searches only the first 1 MiB of a huge file', async () => {
    const home = await makeTempDir();
    const config = await makeTempDir();
    const longLine = `    export MARKER=${'x'.repeat(500)}   `;
    await writeFile(join(home, '.zshrc'), `# zsh\n${longLine}\n`);
    const huge = join(home, '.profile');
    const handle = await open(huge, 'w');
    await handle.write('# profile\nSTART_MARKER\n');
    await handle.truncate(1024 ** 3);
    await handle.close();
    await makeTree(config, { 'git/config': '[core]\n\texcludesFile = ~/.gitignore_global\n' });
    const host = createHost({ env: { HOME: home, XDG_CONFIG_HOME: config } });
    const { observations, notes } = await withinMs(
      scan(host, {
        fileMarkers: [
          { path: '~/.zshrc', pattern: 'MARKER=' },
          { path: '~/.zshrc', pattern: '^# zsh$' },
          { path: '~/.profile', pattern: '^START_MARKER$' },
          { path: '$XDG_CONFIG_HOME/git/config', pattern: 'excludesFile' },
          { path: '~/.missing', pattern: 'x' },
        ],
      }),
      5000,
    );
    expect(observations).toEqual([
      { kind: 'config-change', path: `${home}/.zshrc`, marker: '~/.zshrc =~ /MARKER=/', line: 2, excerpt: longLine.trim().slice(0, 200) },
      { kind: 'config-change', path: `${home}/.zshrc`, marker: '~/.zshrc =~ /^# zsh$/', line: 1, excerpt: '# zsh' },
      { kind: 'config-change', path: huge, marker: '~/.profile =~ /^START_MARKER$/', line: 2, excerpt: 'START_MARKER' },
      {
        kind: 'config-change',
        path: `${config}/git/config`,
        marker: '$XDG_CONFIG_HOME/git/config =~ /excludesFile/',
        line: 2,
        excerpt: 'excludesFile = ~/.gitignore_global',
      },
    ]);
    expect((observations[0] as ConfigChangeObservation).excerpt).toHaveLength(200);
    expect(notes).toEqual([{ path: huge, message: `only the first 1 MiB searched (${1024 ** 3} bytes)` }]);
  });

  it('notes an invalid regular expression from a custom tool and keeps going', async () => {
    const home = await makeTempDir();
    await makeTree(home, { '.bashrc': '# ACME_ASSISTANT\n' });
    const host = createHost({ env: { HOME: home } });
    const { observations, notes } = await scan(host, {
      fileMarkers: [
        { path: '~/.bashrc', pattern: '(unclosed' },
        { path: '~/.bashrc', pattern: '^# ACME_ASSISTANT' },
      ],
    });
    expect(observations.map((o) => (o as ConfigChangeObservation).line)).toEqual([1]);
    expect(notes).toEqual([{ path: '~/.bashrc', message: expect.stringMatching(/^invalid regular expression \/\(unclosed\/, marker skipped \(.+\)$/) }]);
  });
});

describe('redaction', () => {
  it('masks secret-looking argument values and URL credentials, and nothing else', () => {
    expect(
      redactArgs([
        '-y',
        '@modelcontextprotocol/server-github',
        '--api-key',
        's1',
        '--token=s2',
        'GITHUB_PERSONAL_ACCESS_TOKEN=s3',
        '-e',
        'GITHUB_TOKEN',
        'Authorization: Bearer s4',
        'postgresql://u:s5@db/app',
        '--db-url=mysql://root:s6@localhost/x',
        '--password',
        '--verbose',
        '--port',
        '8080',
        'https://example.com/sse?access_token=s7&x=1',
      ]),
    ).toEqual([
      '-y',
      '@modelcontextprotocol/server-github',
      '--api-key',
      '***',
      '--token=***',
      'GITHUB_PERSONAL_ACCESS_TOKEN=***',
      '-e',
      'GITHUB_TOKEN',
      'Authorization: ***',
      'postgresql://***@db/app',
      '--db-url=mysql://***@localhost/x',
      '--password',
      '--verbose',
      '--port',
      '8080',
      'https://example.com/sse?access_token=***&x=1',
    ]);
    expect(redactUrl('https://mcp.example.com/mcp')).toBe('https://mcp.example.com/mcp');
    expect(redactUrl('https://ghp_token@host/mcp?apiKey=s&Signature=t&page=2#frag')).toBe('https://***@host/mcp?apiKey=***&Signature=***&page=2#frag');
  });
});
