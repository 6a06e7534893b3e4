import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'supermaven',
  name: 'Supermaven',
  vendor: 'Supermaven',
  homepage: 'https://supermaven.com/',
  category: 'editor-extension',
  description: 'AI code completion extension with a long-context model.',
  install: 'code --install-extension supermaven.supermaven',
  signatures: {
    // T: Fleet ai_tools' VS Code plugin list (classify/kb.json).
    vscodeExtensions: ['supermaven.supermaven'],
  },
  remove: { extension: 'code --uninstall-extension supermaven.supermaven' },
  sources: ['https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/classify/kb.json'],
};

export default tool;
