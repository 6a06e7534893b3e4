import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'sourcegraph-cody',
  name: 'Sourcegraph Cody',
  vendor: 'Sourcegraph',
  homepage: 'https://sourcegraph.com/cody',
  category: 'editor-extension',
  description: "Sourcegraph's AI coding assistant for VS Code and JetBrains IDEs.",
  install: 'code --install-extension sourcegraph.cody-ai',
  signatures: {
    // Legacy CLI, no longer on npm; the name is generic.
    executables: [{ name: 'cody', ambiguous: true }],
    vscodeExtensions: ['sourcegraph.cody-ai'],
    jetbrainsPlugins: ['com.sourcegraph.jetbrains'],
    // sourcegraph/sg.nvim: Cody in Neovim.
    vimPlugins: ['sg.nvim'],
    // K
    repo: ['.cody/', '.sourcegraph/'],
  },
  remove: { extension: 'code --uninstall-extension sourcegraph.cody-ai (JetBrains: uninstall "Sourcegraph Cody")' },
  sources: ['research'],
};

export default tool;
