import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'codegpt',
  name: 'CodeGPT',
  vendor: 'CodeGPT',
  homepage: 'https://codegpt.co/',
  category: 'editor-extension',
  description: 'AI chat and agents extension that connects editors to many model providers.',
  install: 'code --install-extension danielsanmedium.dscodegpt',
  signatures: {
    // T: Fleet ai_tools' VS Code plugin list (classify/kb.json).
    vscodeExtensions: ['danielsanmedium.dscodegpt'],
  },
  remove: { extension: 'code --uninstall-extension danielsanmedium.dscodegpt' },
  sources: ['https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/classify/kb.json'],
};

export default tool;
