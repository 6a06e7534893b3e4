import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'sourcery',
  name: 'Sourcery',
  vendor: 'Sourcery',
  homepage: 'https://sourcery.ai/',
  category: 'editor-extension',
  description: 'AI code review and refactoring extension.',
  install: 'code --install-extension sourcery.sourcery',
  signatures: {
    // T: Fleet ai_tools' VS Code plugin list (classify/kb.json).
    vscodeExtensions: ['sourcery.sourcery'],
  },
  remove: { extension: 'code --uninstall-extension sourcery.sourcery' },
  sources: ['https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/classify/kb.json'],
};

export default tool;
