import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'open-interpreter',
  name: 'Open Interpreter',
  vendor: 'Open Interpreter (open source)',
  homepage: 'https://www.openinterpreter.com/',
  category: 'agent-cli',
  description: 'Terminal agent that lets a language model run code (shell, Python, JavaScript) on the machine.',
  install: 'pip install open-interpreter',
  signatures: {
    // pyproject.toml [project.scripts]: i, interpreter, wtf, interpreter-classic.
    executables: [
      // `interpreter` is a common word (other packages and scripts use it): its venv or pipx path proves it.
      { name: 'interpreter', ambiguous: true },
      { name: 'interpreter-classic' },
      { name: 'i', ambiguous: true },
      { name: 'wtf', ambiguous: true },
    ],
    processes: {
      names: ['interpreter', 'interpreter-classic'],
      ambiguousNames: ['interpreter'],
    },
    packages: { pip: ['open-interpreter'] },
    home: [
      // T: StepSecurity SCAN_COVERAGE.md (~/.config/open-interpreter/config.yaml); K: platformdirs'
      // user config folder for "open-interpreter" on macOS and Windows.
      { path: '$XDG_CONFIG_HOME/open-interpreter', os: ['linux'] },
      { path: '~/Library/Application Support/open-interpreter', os: ['macos'] },
      { path: '%LOCALAPPDATA%/open-interpreter', os: ['windows'] },
    ],
  },
  remove: { pip: 'pip uninstall open-interpreter (or pipx uninstall open-interpreter)' },
  sources: [
    'https://github.com/openinterpreter/open-interpreter/blob/main/pyproject.toml',
    'https://github.com/step-security/dev-machine-guard/blob/main/SCAN_COVERAGE.md',
  ],
};

export default tool;
