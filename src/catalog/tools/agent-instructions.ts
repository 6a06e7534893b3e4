import type { ToolEntry } from '../schema.js';

// AGENTS.md is read by many agents (Codex, Amp, opencode, Kilo, Cline, Goose, Crush, Junie, ...),
// so it proves no single tool. The policy rules on it as a category of its own.
const tool: ToolEntry = {
  id: 'agent-instructions',
  name: 'Agent instructions (AGENTS.md)',
  vendor: 'agents.md convention',
  homepage: 'https://agents.md',
  category: 'agent-instructions',
  description: 'Repository instruction files for coding agents that several tools share.',
  signatures: {
    repo: ['AGENTS.md', 'AGENTS.override.md'],
  },
  sources: ['research', 'https://agents.md'],
};

export default tool;
