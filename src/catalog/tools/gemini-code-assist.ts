import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'gemini-code-assist',
  name: 'Gemini Code Assist',
  vendor: 'Google',
  homepage: 'https://marketplace.visualstudio.com/items?itemName=Google.geminicodeassist',
  category: 'editor-extension',
  description: "Google's Gemini coding assistant for VS Code and JetBrains IDEs.",
  install: 'code --install-extension Google.geminicodeassist',
  signatures: {
    vscodeExtensions: ['Google.geminicodeassist'],
    // K: JetBrains plugin id from memory, not confirmed.
    jetbrainsPlugins: ['com.google.tools.ij.aiplugin'],
  },
  remove: { extension: 'code --uninstall-extension Google.geminicodeassist' },
  sources: ['research'],
};

export default tool;
