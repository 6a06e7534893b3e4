import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'tabnine',
  name: 'Tabnine',
  vendor: 'Tabnine',
  homepage: 'https://www.tabnine.com/',
  category: 'editor-extension',
  description: 'AI code completion and chat for VS Code, JetBrains IDEs and other editors.',
  install: 'code --install-extension TabNine.tabnine-vscode',
  signatures: {
    processes: {
      // K: local engine binaries started by the plugins.
      names: ['TabNine', 'TabNine-deep-local', 'TabNine-deep-cloud', 'WD-TabNine'],
    },
    vscodeExtensions: ['TabNine.tabnine-vscode', 'TabNine.tabnine-vscode-self-hosted-updater'],
    jetbrainsPlugins: ['com.tabnine.TabNine'],
    // codota/tabnine-nvim and codota/tabnine-vim.
    vimPlugins: ['tabnine-nvim', 'tabnine-vim'],
    home: [
      { path: '~/.tabnine' },
      { path: '~/Library/Caches/com.tabnine.TabNine', os: ['macos'] },
      // K
      { path: '$XDG_CONFIG_HOME/TabNine', os: ['linux'] },
      { path: '%APPDATA%/TabNine', os: ['windows'] },
    ],
    // K
    repo: ['.tabnine/', '.tabnineignore'],
  },
  remove: { extension: 'code --uninstall-extension TabNine.tabnine-vscode (JetBrains: uninstall "Tabnine")' },
  sources: ['research'],
};

export default tool;
