import type { ToolEntry } from '../schema.js';

// Facts from @mariozechner/pi-coding-agent 0.73.1 on the npm registry (`npm view`, `npm pack`: bin `pi` -> dist/cli.js,
// which sets process.title to `pi` and process.env.PI_CODING_AGENT = "true"; config in ~/.pi/agent, dist/config.js)
// and from running it (V: ../shared/research/agents-that-hide.md).
const tool: ToolEntry = {
  id: 'pi',
  name: 'Pi coding agent',
  vendor: 'Mario Zechner',
  homepage: 'https://github.com/badlogic/pi-mono',
  category: 'agent-cli',
  description: 'A minimal terminal coding agent (read, bash, edit, write tools) for many model providers.',
  install: 'npm install -g @mariozechner/pi-coding-agent',
  signatures: {
    // `pi` is also a common program and script name: only the package proves it.
    executables: [{ name: 'pi', ambiguous: true }],
    processes: {
      // It rewrites its title to `pi`, so argv never names the package: `_` (the path a shell executed) does.
      names: ['pi'],
      ambiguousNames: ['pi'],
    },
    packages: { npm: ['@mariozechner/pi-coding-agent'] },
    home: [{ path: '~/.pi/agent' }],
    // Set in its own process.env at start, so the shells its bash tool runs carry it (not in its own /proc environ).
    env: [{ name: 'PI_CODING_AGENT', value: '^true$' }],
  },
  remove: { npm: 'npm uninstall -g @mariozechner/pi-coding-agent' },
  sources: ['research', 'https://www.npmjs.com/package/@mariozechner/pi-coding-agent', 'https://github.com/badlogic/pi-mono'],
};

export default tool;
