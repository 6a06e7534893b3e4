import type { ToolEntry } from '../schema.js';

// xAI's own terminal agent, not the community `@vibe-kit/grok-cli` (grok-cli.ts): both are `grok`
// on PATH and both keep files in ~/.grok, so this entry claims only what the xAI installer writes
// (~/.grok/bin) and what only it keeps (sessions, auth, its local docs).
const tool: ToolEntry = {
  id: 'grok-build',
  name: 'Grok Build',
  vendor: 'xAI',
  homepage: 'https://x.ai/cli',
  category: 'agent-cli',
  description: "xAI's official terminal coding agent (`grok`).",
  install: 'curl -fsSL https://x.ai/cli/install.sh | bash (Windows: irm https://x.ai/cli/install.ps1 | iex)',
  signatures: {
    // `grok` also names the community Grok CLI and unrelated tools: only ~/.grok/bin proves it.
    // T: the installer writes ~/.grok/bin/grok and links it into ~/.local/bin.
    executables: [{ name: 'grok', ambiguous: true }],
    processes: {
      names: ['grok'],
      ambiguousNames: ['grok'],
      paths: ['~/.grok/bin/**'],
      // T: during a turn the process holds a write descriptor on its session's events.jsonl.
      openFiles: ['~/.grok/sessions/**'],
    },
    installPaths: ['~/.grok/bin'],
    home: [
      // T: ~/.grok/sessions/<encoded cwd>/<session id>/, ~/.grok/auth.json (sign-in), ~/.grok/docs (bundled user guide).
      { path: '~/.grok/sessions' },
      { path: '~/.grok/auth.json' },
      { path: '~/.grok/docs' },
    ],
    // T: exported to its hook and MCP children (agmsg detects a Grok Build session by it).
    env: [{ name: 'GROK_SESSION_ID' }],
    // T: agmsg installs its skill to ~/.grok/skills/<name>/.
    skillFolders: ['~/.grok/skills'],
  },
  remove: { native: 'rm -rf ~/.grok/bin ~/.local/bin/grok (sessions and sign-in stay in ~/.grok)' },
  sources: [
    'https://x.ai/cli',
    'https://github.com/fujibee/agmsg/pull/216',
    'https://contextqmd.com/libraries/codexbar/versions/0.27.0/pages/docs/grok',
  ],
};

export default tool;
