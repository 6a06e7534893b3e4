import { describe, expect, it } from 'vitest';
import type { ToolEntry } from '../src/catalog/schema.js';
import { compileCatalog, match } from '../src/match/index.js';
import type { Observation } from '../src/types.js';

const tool = (id: string, signatures: ToolEntry['signatures']): ToolEntry => ({
  id, name: id, vendor: 'v', homepage: 'https://example.test', category: 'agent-cli', signatures,
});

const tools: ToolEntry[] = [
  tool('claude-code', {
    packages: { npm: ['@anthropic-ai/claude-code'], brewCask: ['claude-code'] },
    installPaths: ['~/.local/share/claude/versions/{version}'],
    vscodeExtensions: ['anthropic.claude-code'],
    jetbrainsPlugins: ['com.anthropic.code.plugin'],
    mcpConfigs: [{ path: '~/.claude.json', format: 'projects.mcpServers' }, { path: '.mcp.json', format: 'mcpServers' }],
  }),
  tool('aider', { packages: { pip: ['aider-chat'], brew: ['aider'] } }),
  tool('github-copilot', { vscodeExtensions: ['GitHub.copilot', 'GitHub.copilot-chat'], vimPlugins: ['copilot.vim'] }),
  tool('zed-ai', { zedSettings: ['agent'] }),
  tool('cursor', {
    apps: {
      macos: { bundleNames: ['Cursor.app'], bundleIds: ['com.todesktop.230313mzl4w4u92'] },
      linux: { paths: ['/opt/cursor/**', '~/Applications/cursor*.AppImage'], desktopFiles: ['cursor.desktop'] },
      windows: { paths: ['%LOCALAPPDATA%/Programs/cursor/**'], displayNames: ['Cursor'] },
    },
  }),
  tool('ollama', { packages: { snap: ['ollama'], flatpak: ['com.ollama.Ollama'], deb: ['ollama'], go: ['github.com/ollama/ollama'] } }),
  tool('qoder', { fileMarkers: [{ path: '~/.bashrc', pattern: '^# QODER_DISPATCHER_PATH' }] }),
];

const linux = compileCatalog(tools, { os: 'linux', home: '/home/ada', env: {} });
const mac = compileCatalog(tools, { os: 'macos', home: '/Users/ada', env: {} });
const windows = compileCatalog(tools, { os: 'windows', home: 'C:/Users/ada', env: {} });

type Row = [string, Observation, Array<[string, string]>];
const p = (manager: string, name: string, extra = {}): Observation =>
  ({ kind: 'package', manager, name, path: `/x/${name}`, ...extra }) as Observation;

const rows: Row[] = [
  ['npm global package', p('npm', '@anthropic-ai/claude-code', { version: '2.1.197' }), [['claude-code', 'npm']]],
  ['pnpm global shares npm names', p('pnpm', '@anthropic-ai/claude-code'), [['claude-code', 'pnpm']]],
  ['npx cache', p('npx', '@anthropic-ai/claude-code'), [['claude-code', 'npx']]],
  ['pip name normalised', p('pip', 'Aider_Chat'), [['aider', 'pip']]],
  ['pipx venv', p('pipx', 'aider-chat'), [['aider', 'pipx']]],
  ['brew formula', p('brew', 'aider'), [['aider', 'brew']]],
  ['brew cask is not a formula', p('brew', 'claude-code'), []],
  ['brew cask', p('brew-cask', 'claude-code'), [['claude-code', 'brew-cask']]],
  ['deb package', p('deb', 'ollama'), [['ollama', 'deb']]],
  ['go binary by module tail', p('go', 'ollama'), [['ollama', 'go']]],
  ['native installer version', p('native', '~/.local/share/claude/versions/{version}', { version: '2.1.197' }), [['claude-code', 'native']]],
  ['unknown package', p('npm', 'left-pad'), []],
  ['VS Code extension, any case', { kind: 'extension', family: 'vscode', editor: 'Cursor', id: 'github.Copilot-Chat', path: '/e' }, [['github-copilot', 'extension']]],
  ['JetBrains plugin', { kind: 'extension', family: 'jetbrains', editor: 'IntelliJIdea2025.2', id: 'com.anthropic.code.plugin', path: '/p' }, [['claude-code', 'extension']]],
  ['a VS Code id is not a JetBrains id', { kind: 'extension', family: 'jetbrains', editor: 'X', id: 'anthropic.claude-code', path: '/p' }, []],
  ['vim plugin', { kind: 'extension', family: 'vim', editor: 'Neovim', id: 'copilot.vim', path: '/v' }, [['github-copilot', 'extension']]],
  ['zed AI setting', { kind: 'extension', family: 'zed', editor: 'Zed', id: 'settings:agent', path: '/z' }, [['zed-ai', 'extension']]],
  ['snap', { kind: 'app', source: 'snap', name: 'ollama', path: '/snap/ollama' }, [['ollama', 'app']]],
  ['flatpak', { kind: 'app', source: 'flatpak', name: 'Ollama', bundleId: 'com.ollama.Ollama', path: '/f' }, [['ollama', 'app']]],
  ['desktop file', { kind: 'app', source: 'desktop-file', name: 'cursor.desktop', path: '/usr/share/applications/cursor.desktop' }, [['cursor', 'app']]],
  ['desktop file running from an install path', { kind: 'app', source: 'desktop-file', name: 'co.anysphere.desktop', path: '/usr/share/applications/co.anysphere.desktop', exec: '/opt/cursor/cursor' }, [['cursor', 'app']]],
  ['/opt folder', { kind: 'app', source: 'opt', name: 'cursor', path: '/opt/cursor' }, [['cursor', 'app']]],
  ['AppImage', { kind: 'app', source: 'appimage', name: 'cursor-1.2.AppImage', path: '/home/ada/Applications/cursor-1.2.AppImage' }, [['cursor', 'app']]],
  ['an unrelated /opt folder', { kind: 'app', source: 'opt', name: 'google', path: '/opt/google' }, []],
  ['MCP server in a user config', { kind: 'mcp-server', config: '~/.claude.json', path: '/home/ada/.claude.json', scope: 'user', name: 'fs', command: 'npx' }, [['claude-code', 'mcp-server']]],
  ['MCP server in a project config', { kind: 'mcp-server', config: '.mcp.json', path: '/repo/.mcp.json', scope: 'project', name: 'fs' }, [['claude-code', 'mcp-server']]],
  ['shell profile block', { kind: 'config-change', path: '/home/ada/.bashrc', marker: '~/.bashrc =~ /^# QODER_DISPATCHER_PATH/', line: 12, excerpt: '# QODER_DISPATCHER_PATH v1' }, [['qoder', 'config-change']]],
];

describe('match: installed and configured', () => {
  it.each(rows)('%s', (_label, observation, expected) => {
    // The second column is how it was installed (the package manager, `extension`, `app`), or the kind when that does not apply.
    const found = match([observation], linux).map((d) => [d.tool, d.evidence.installMethod ?? d.kind]);
    expect(found).toEqual(expected);
  });

  it('matches macOS bundles by id first, then by name', () => {
    const byId = match([{ kind: 'app', source: 'bundle', name: 'Renamed.app', bundleId: 'com.todesktop.230313mzl4w4u92', path: '/Applications/Renamed.app' }], mac);
    expect(byId.map((d) => [d.tool, d.evidence.matched])).toEqual([['cursor', 'app bundle id com.todesktop.230313mzl4w4u92']]);
    const byName = match([{ kind: 'app', source: 'bundle', name: 'Cursor.app', path: '/Applications/Cursor.app', version: '1.2.0' }], mac);
    expect(byName[0]?.evidence).toMatchObject({ version: '1.2.0', source: 'bundle', installMethod: 'app' });
  });

  it('matches Windows installs by folder and by display name', () => {
    const folder = match([{ kind: 'app', source: 'programs', name: 'cursor', path: 'C:/Users/ada/AppData/Local/Programs/cursor' }], windows);
    expect(folder.map((d) => d.tool)).toEqual(['cursor']);
    const shortcut = match([{ kind: 'app', source: 'start-menu', name: 'Cursor', path: 'C:/ProgramData/Microsoft/Windows/Start Menu/Programs/Cursor.lnk' }], windows);
    expect(shortcut.map((d) => d.tool)).toEqual(['cursor']);
  });

  it('keeps MCP server details without anything the scanner did not give', () => {
    const [detection] = match([{ kind: 'mcp-server', config: '~/.claude.json', path: '/home/ada/.claude.json', scope: 'user', name: 'gh', command: 'docker', args: ['run', 'ghcr.io/github/github-mcp-server'] }], linux);
    expect(detection?.evidence).toMatchObject({ server: { name: 'gh', command: 'docker', args: ['run', 'ghcr.io/github/github-mcp-server'] }, scope: 'user' });
  });
});
