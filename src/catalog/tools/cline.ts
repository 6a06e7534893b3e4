import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'cline',
  name: 'Cline',
  vendor: 'Cline Bot Inc.',
  homepage: 'https://github.com/cline/cline',
  category: 'editor-extension',
  description: 'Autonomous coding agent for VS Code, with a CLI and a background hub daemon.',
  install: 'code --install-extension saoudrizwan.claude-dev (CLI: npm install -g cline)',
  signatures: {
    executables: [{ name: 'cline' }],
    processes: {
      // The node resolver starts the native binary, hardlinked as bin/.cline.
      names: ['.cline'],
      paths: ['node_modules/@cline/cli-*/**'],
      // The hub daemon outlives the TUI.
      args: ['--cline-hub-daemon'],
    },
    packages: { npm: ['cline'] },
    vscodeExtensions: ['saoudrizwan.claude-dev'],
    home: [
      { path: '~/.cline' },
      // K: global rules and MCP folders of the extension.
      { path: '~/Documents/Cline' },
    ],
    repo: ['.clinerules', '.clineignore'],
    env: [
      { name: 'CLINE_WRAPPER_PATH' },
      // T: terminals the extension opens (cline/cline discussion #5366).
      { name: 'CLINE_ACTIVE', value: '^true$' },
    ],
    // D: Cline docs name cline_mcp_settings.json; it is in the extension's global storage.
    mcpConfigs: [
      { path: '$XDG_CONFIG_HOME/*/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', format: 'mcpServers', os: ['linux'] },
      { path: '~/Library/Application Support/*/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/*/User/globalStorage/saoudrizwan.claude-dev/settings/cline_mcp_settings.json', format: 'mcpServers', os: ['windows'] },
    ],
  },
  remove: {
    npm: 'npm uninstall -g cline (the hub daemon may still run: stop its .cline --cline-hub-daemon process)',
    extension: 'code --uninstall-extension saoudrizwan.claude-dev',
  },
  sources: ['research'],
};

export default tool;
