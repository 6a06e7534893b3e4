import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'crush',
  name: 'Crush',
  vendor: 'Charmbracelet',
  homepage: 'https://github.com/charmbracelet/crush',
  category: 'agent-cli',
  description: "Charm's terminal coding agent, written in Go.",
  install: 'npm install -g @charmland/crush',
  signatures: {
    // liljencrantz/crush (a shell) uses the same name.
    executables: [{ name: 'crush', ambiguous: true }],
    processes: { names: ['crush'], ambiguousNames: ['crush'] },
    packages: { npm: ['@charmland/crush'] },
    home: [
      { path: '$XDG_CONFIG_HOME/crush' },
      { path: '%LOCALAPPDATA%/crush', os: ['windows'] },
      // K
      { path: '$XDG_DATA_HOME/crush' },
    ],
    repo: ['CRUSH.md', '.crush/', '.crush.json', 'crush.json'],
    env: [
      { name: 'CRUSH', value: '^1$' },
      { name: 'AGENT', value: '^crush$' },
      { name: 'AI_AGENT', value: '^crush' },
    ],
    commits: [
      { pattern: 'Generated with Crush' },
      { pattern: '^Co-authored-by:\\s*Crush\\s*<crush@charm\\.land>' },
      { pattern: '^Assisted-by:\\s*Crush:' },
    ],
  },
  remove: { npm: 'npm uninstall -g @charmland/crush' },
  sources: ['research', 'https://mintlify.com/charmbracelet/crush/configuration/overview'],
};

export default tool;
