import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'blackbox',
  name: 'BLACKBOX AI',
  vendor: 'BLACKBOX AI',
  homepage: 'https://www.blackbox.ai/',
  category: 'editor-extension',
  description: 'AI coding assistant and agent extension.',
  install: 'code --install-extension blackboxapp.blackbox',
  signatures: {
    // T: Fleet ai_tools' VS Code plugin list (classify/kb.json).
    vscodeExtensions: ['blackboxapp.blackbox'],
  },
  remove: { extension: 'code --uninstall-extension blackboxapp.blackbox' },
  sources: ['https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/classify/kb.json'],
};

export default tool;
