import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'augment',
  name: 'Augment Code (Auggie)',
  vendor: 'Augment Code',
  homepage: 'https://www.augmentcode.com',
  category: 'agent-cli',
  description: 'Context-aware coding agent: the Auggie CLI and extensions for VS Code and JetBrains IDEs.',
  install: 'npm install -g @augmentcode/auggie',
  signatures: {
    executables: [{ name: 'auggie' }],
    // "TypeScript SDK for Auggie": spawns the auggie CLI (npm pack @augmentcode/auggie-sdk).
    sdkPackages: { npm: ['@augmentcode/auggie-sdk'] },
    packages: { npm: ['@augmentcode/auggie'] },
    vscodeExtensions: ['Augment.vscode-augment'],
    // T: plugin id seen only in third-party code.
    jetbrainsPlugins: ['com.augmentcode.intellij'],
    // augmentcode/augment.vim (Vim and Neovim).
    vimPlugins: ['augment.vim'],
    home: [{ path: '~/.augment' }],
    repo: ['.augment/', '.augment-guidelines', '.augmentignore'],
    env: [{ name: 'AUGMENT_AGENT', value: '^1$' }, { name: 'AUGMENT_CONVERSATION_ID' }],
  },
  remove: {
    npm: 'npm uninstall -g @augmentcode/auggie',
    extension: 'code --uninstall-extension Augment.vscode-augment',
  },
  sources: ['research'],
};

export default tool;
