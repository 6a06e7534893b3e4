import type { ToolEntry } from '../schema.js';

// Jules runs in Google's cloud VMs; the CLI is what shows up on a developer machine.
const tool: ToolEntry = {
  id: 'jules',
  name: 'Google Jules CLI',
  vendor: 'Google',
  homepage: 'https://jules.google',
  category: 'agent-cli',
  description: "Command-line client for Google's asynchronous cloud coding agent Jules.",
  install: 'npm install -g @google/jules',
  signatures: {
    // Community Jules API clients on PyPI install a `jules` command too.
    executables: [{ name: 'jules', ambiguous: true }],
    packages: { npm: ['@google/jules'] },
  },
  remove: { npm: 'npm uninstall -g @google/jules' },
  sources: ['research'],
};

export default tool;
