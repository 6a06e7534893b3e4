import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'gpt-engineer',
  name: 'GPT-Engineer',
  vendor: 'gpt-engineer (open source)',
  homepage: 'https://github.com/AntonOsika/gpt-engineer',
  category: 'agent-cli',
  description: 'CLI agent that writes and improves a whole code base from a prompt.',
  install: 'pip install gpt-engineer',
  signatures: {
    // pyproject.toml [tool.poetry.scripts]: gpt-engineer, ge, gpte (all the same entry point).
    executables: [
      { name: 'gpt-engineer' },
      { name: 'gpte' },
      // Two letters: other programs use it; only its venv path proves it.
      { name: 'ge', ambiguous: true },
    ],
    processes: { names: ['gpt-engineer', 'gpte'] },
    packages: { pip: ['gpt-engineer'] },
    // T: StepSecurity Dev Machine Guard agent.go.
    home: [{ path: '~/.gpt-engineer' }],
  },
  remove: { pip: 'pip uninstall gpt-engineer (or pipx uninstall gpt-engineer)' },
  sources: [
    'https://github.com/AntonOsika/gpt-engineer/blob/main/pyproject.toml',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/agent.go',
  ],
};

export default tool;
