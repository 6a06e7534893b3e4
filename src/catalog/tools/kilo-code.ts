import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'kilo-code',
  name: 'Kilo Code',
  vendor: 'Kilo Code',
  homepage: 'https://kilocode.ai/',
  category: 'editor-extension',
  description: 'Open-source coding agent for VS Code and JetBrains, with a CLI forked from opencode.',
  install: 'code --install-extension kilocode.Kilo-Code (CLI: npm install -g @kilocode/cli)',
  signatures: {
    executables: [
      // `kilo` is also a small text editor.
      { name: 'kilo', ambiguous: true },
      { name: 'kilocode' },
    ],
    processes: {
      names: ['kilo'],
      ambiguousNames: ['kilo'],
      paths: ['node_modules/@kilocode/cli-*/**'],
    },
    packages: { npm: ['@kilocode/cli'] },
    vscodeExtensions: ['kilocode.Kilo-Code'],
    home: [
      { path: '$XDG_CONFIG_HOME/kilo' },
      { path: '$XDG_DATA_HOME/kilo' },
      { path: '$XDG_STATE_HOME/kilo' },
      { path: '$XDG_CACHE_HOME/kilo' },
    ],
    repo: ['.kilocode/', '.kilocodemodes', '.kilocodeignore'],
    // The CLI also sets AGENT=1 and OPENCODE=1, which prove nothing specific.
    env: [{ name: 'KILO_PID' }, { name: 'KILO_TERMINAL', value: '^1$', strength: 'weak' }],
    // D: Kilo Code MCP docs for the extension and the legacy CLI. Newer builds keep servers under `mcp`
    // in ~/.config/kilo/kilo.jsonc (opencode's shape), which the configs scanner does not read.
    mcpConfigs: [
      { path: '$XDG_CONFIG_HOME/*/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json', format: 'mcpServers', os: ['linux'] },
      { path: '~/Library/Application Support/*/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/*/User/globalStorage/kilocode.kilo-code/settings/mcp_settings.json', format: 'mcpServers', os: ['windows'] },
      { path: '~/.kilocode/cli/global/settings/mcp_settings.json', format: 'mcpServers' },
      { path: '.kilocode/mcp.json', format: 'mcpServers' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @kilocode/cli',
    extension: 'code --uninstall-extension kilocode.Kilo-Code',
  },
  sources: ['research'],
};

export default tool;
