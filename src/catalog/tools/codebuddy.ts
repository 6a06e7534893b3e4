import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'codebuddy',
  name: 'CodeBuddy Code',
  vendor: 'Tencent Cloud',
  homepage: 'https://www.codebuddy.ai/cli',
  category: 'agent-cli',
  description: "Tencent Cloud's terminal coding agent.",
  install: 'npm install -g @tencent-ai/codebuddy-code',
  signatures: {
    executables: [
      { name: 'codebuddy' },
      // `cbc` is also the COIN-OR CBC solver.
      { name: 'cbc', ambiguous: true },
    ],
    packages: { npm: ['@tencent-ai/codebuddy-code'] },
    home: [{ path: '~/.codebuddy' }],
    repo: ['CODEBUDDY.md', '.codebuddy/'],
  },
  remove: { npm: 'npm uninstall -g @tencent-ai/codebuddy-code' },
  sources: ['https://www.codebuddy.ai/cli', 'https://cloud.tencent.com/document/product/1772/128961'],
};

export default tool;
