import type { ToolEntry } from '../schema.js';

// OpenClaw was published as ClawdBot, then MoltBot (and briefly spelled MoldBot) before its
// current name; installs from each era leave their own home folder, so all count as OpenClaw.
const tool: ToolEntry = {
  id: 'openclaw',
  name: 'OpenClaw',
  vendor: 'OpenClaw (open source)',
  homepage: 'https://openclaw.ai/',
  category: 'agent-cli',
  description: 'Self-hosted personal AI agent gateway (messaging channels, skills, shell and browser tools); formerly ClawdBot / MoltBot.',
  install: 'npm install -g openclaw',
  signatures: {
    executables: [{ name: 'openclaw' }, { name: 'clawdbot' }, { name: 'moltbot' }],
    processes: {
      names: ['openclaw', 'clawdbot', 'moltbot'],
      // T: Fleet ai_tools (agents.go) looks for the CLI in ~/.openclaw/bin.
      paths: ['~/.openclaw/bin/**'],
    },
    // npm view openclaw (bin openclaw) and clawdbot (bin clawdbot, "… with Pi RPC agent").
    // The npm name `moltbot` is a 0.1.0 placeholder without a bin: not listed.
    packages: { npm: ['openclaw', 'clawdbot'] },
    home: [
      // T: StepSecurity Dev Machine Guard agent.go (one folder per name); the project's docs keep
      // openclaw.json, workspace/ and credentials/ in ~/.openclaw.
      { path: '~/.openclaw' },
      { path: '~/.clawdbot' },
      { path: '~/.moltbot' },
      { path: '~/.moldbot' },
    ],
  },
  remove: {
    npm: 'npm uninstall -g openclaw clawdbot',
    native: 'rm -rf ~/.openclaw ~/.clawdbot ~/.moltbot ~/.moldbot',
  },
  sources: [
    'npm view openclaw / npm view clawdbot',
    'https://github.com/openclaw/openclaw',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/agent.go',
    'https://github.com/fleetdm/fleet/blob/main/orbit/pkg/table/ai_tools/internal/evidence/toolhomes.go',
  ],
};

export default tool;
