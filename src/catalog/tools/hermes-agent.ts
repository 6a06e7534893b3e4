import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'hermes-agent',
  name: 'Hermes Agent',
  vendor: 'Nous Research',
  homepage: 'https://github.com/NousResearch/hermes-agent',
  category: 'agent-cli',
  description: 'Self-improving terminal and messaging agent that writes its own skills and runs shell commands.',
  install: 'the install script in https://github.com/NousResearch/hermes-agent (README)',
  signatures: {
    // `hermes` is also an unrelated npm package and other tools' name: its installer's venv proves it.
    executables: [{ name: 'hermes', ambiguous: true }],
    processes: {
      names: ['hermes'],
      ambiguousNames: ['hermes'],
      // T: StepSecurity aicli_agents2.go (the installer's launcher/venv pairs); Fleet agents.go (~/.hermes/bin).
      paths: ['~/.hermes/hermes-agent/**', '~/.hermes/bin/**', '/usr/local/lib/hermes-agent/**', '%LOCALAPPDATA%/hermes/**'],
    },
    installPaths: ['~/.hermes/hermes-agent'],
    home: [
      // T: Fleet toolhomes.go (~/.hermes, ~/.config/hermes) and StepSecurity (state folder ~/.hermes).
      { path: '~/.hermes' },
      { path: '~/.config/hermes', os: ['linux', 'macos'] },
    ],
  },
  remove: { native: 'rm -rf ~/.hermes ~/.local/bin/hermes' },
  sources: [
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/evidence/toolhomes.go',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/aicli_agents2.go',
  ],
};

export default tool;
