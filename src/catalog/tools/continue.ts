import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'continue',
  name: 'Continue',
  vendor: 'Continue Dev',
  homepage: 'https://continue.dev',
  category: 'editor-extension',
  description: 'Open-source assistant for VS Code and JetBrains IDEs, with the `cn` CLI agent.',
  install: 'code --install-extension Continue.continue (CLI: npm install -g @continuedev/cli)',
  signatures: {
    // `cn` is a two-letter name other programs use too.
    executables: [{ name: 'cn', ambiguous: true }],
    packages: { npm: ['@continuedev/cli'] },
    vscodeExtensions: ['Continue.continue'],
    jetbrainsPlugins: ['com.github.continuedev.continueintellijextension'],
    home: [{ path: '~/.continue' }],
    repo: ['.continue/', '.continuerc.json'],
    // Set for hooks the CLI runs.
    env: [{ name: 'CONTINUE_PROJECT_DIR' }],
    commits: [
      { pattern: '^Co-authored-by:\\s*Continue\\s*<noreply@continue\\.dev>' },
      { pattern: 'Generated with \\[Continue\\]\\(https://continue\\.dev\\)' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g @continuedev/cli',
    extension: 'code --uninstall-extension Continue.continue',
  },
  sources: ['research'],
};

export default tool;
