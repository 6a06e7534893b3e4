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
    // D: the cross-agent skills folders, read by Codex (developers.openai.com/codex/skills), Gemini CLI
    // (geminicli.com/docs/cli/using-agent-skills), GitHub Copilot (docs.github.com, "create skills") and Cursor.
    // A skill here proves no single agent, as AGENTS.md does not.
    skillFolders: ['~/.agents/skills', '.agents/skills'],
  },
  sources: [
    'research',
    'https://agents.md',
    'https://agentskills.io',
    'https://developers.openai.com/codex/skills',
    'https://geminicli.com/docs/cli/using-agent-skills',
  ],
};

export default tool;
