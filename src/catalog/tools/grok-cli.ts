import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'grok-cli',
  name: 'Grok CLI',
  vendor: 'Vibe Kit (community)',
  homepage: 'https://www.npmjs.com/package/@vibe-kit/grok-cli',
  category: 'agent-cli',
  description: 'Open-source terminal agent for xAI Grok models.',
  install: 'npm install -g @vibe-kit/grok-cli',
  signatures: {
    // `grok` names several unrelated tools.
    executables: [{ name: 'grok', ambiguous: true }],
    packages: { npm: ['@vibe-kit/grok-cli'] },
    // V: @vibe-kit/grok-cli 0.0.34's dist writes ~/.grok/user-settings.json (and a project .grok/settings.json).
    // Not the whole ~/.grok: xAI's Grok Build installer uses that folder too (see grok-build.ts).
    home: [{ path: '~/.grok/user-settings.json' }],
  },
  remove: { npm: 'npm uninstall -g @vibe-kit/grok-cli' },
  sources: ['research'],
};

export default tool;
