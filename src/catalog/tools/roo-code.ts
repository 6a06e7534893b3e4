import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'roo-code',
  name: 'Roo Code',
  vendor: 'Roo Code Inc.',
  homepage: 'https://marketplace.visualstudio.com/items?itemName=RooVeterinaryInc.roo-cline',
  category: 'editor-extension',
  description: 'Multi-mode coding agent extension for VS Code, forked from Cline.',
  install: 'code --install-extension RooVeterinaryInc.roo-cline',
  signatures: {
    vscodeExtensions: ['RooVeterinaryInc.roo-cline'],
    // K: global rules folder.
    home: [{ path: '~/.roo' }],
    repo: ['.roo/', '.roomodes', '.roorules', '.rooignore'],
    // T: other detectors' lists.
    env: [{ name: 'ROO_ACTIVE' }, { name: 'ROO_CODE_TASK_ID' }],
    // D: Roo Code MCP docs (global mcp_settings.json in the extension's storage, project .roo/mcp.json).
    mcpConfigs: [
      { path: '$XDG_CONFIG_HOME/*/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json', format: 'mcpServers', os: ['linux'] },
      { path: '~/Library/Application Support/*/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json', format: 'mcpServers', os: ['macos'] },
      { path: '%APPDATA%/*/User/globalStorage/rooveterinaryinc.roo-cline/settings/mcp_settings.json', format: 'mcpServers', os: ['windows'] },
      { path: '.roo/mcp.json', format: 'mcpServers' },
    ],
  },
  remove: { extension: 'code --uninstall-extension RooVeterinaryInc.roo-cline' },
  sources: ['research'],
};

export default tool;
