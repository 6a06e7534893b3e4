import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'aider',
  name: 'Aider',
  vendor: 'Aider-AI',
  homepage: 'https://aider.chat/',
  category: 'agent-cli',
  description: 'AI pair programming in the terminal that edits files and commits to git.',
  install: 'python -m pip install aider-install && aider-install',
  signatures: {
    executables: [{ name: 'aider' }],
    processes: {
      // A pip console script runs as comm=aider with args `python3 /path/bin/aider`;
      // the matcher reads the script's name. Only its pipx/uv venv proves it.
      names: ['aider'],
    },
    packages: { pip: ['aider-chat', 'aider-install'], brew: ['aider'] },
    home: [{ path: '~/.aider' }, { path: '~/.aider.conf.yml' }],
    repo: ['.aider*'],
    env: [
      { name: 'OR_APP_NAME', value: '^Aider$' },
      { name: 'OR_SITE_URL', value: '^https://aider\\.chat' },
    ],
    commits: [
      { pattern: '^Co-authored-by:\\s*aider \\(.*\\)\\s*<aider@aider\\.chat>' },
      { pattern: '\\(aider\\)$', in: 'author' },
      { pattern: '\\(aider\\)$', in: 'committer' },
      { pattern: '^aider: ' },
    ],
  },
  remove: {
    pip: 'pip uninstall aider-chat (or: uv tool uninstall aider-chat / pipx uninstall aider-chat)',
    brew: 'brew uninstall aider',
  },
  sources: ['research', 'https://github.com/Homebrew/homebrew-core/blob/master/Formula/a/aider.rb'],
};

export default tool;
