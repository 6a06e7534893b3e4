import type { ToolEntry } from '../schema.js';

// Meta's coding agent. No package manager carries it (a launcher script from dev.meta.ai), and
// `muse` is the name of several music players and of PyPI's muse-cli neighbours, so the data
// folder is the evidence and the name alone never counts.
const tool: ToolEntry = {
  id: 'muse-code',
  name: 'Muse Code',
  vendor: 'Meta',
  homepage: 'https://dev.meta.ai/',
  category: 'agent-cli',
  description: "Meta's terminal coding agent (`muse`), running Muse Spark models.",
  install: 'curl -fsSL https://dev.meta.ai/install.sh | bash (macOS and Linux)',
  signatures: {
    executables: [{ name: 'muse', ambiguous: true }],
    processes: {
      names: ['muse'],
      ambiguousNames: ['muse'],
      // T: the launcher keeps `muse-bin-*` copies of the real binary beside the `muse` entry point.
      paths: ['muse-bin-*'],
      // T: each session is a session.jsonl under sessions/<YYYY>/<MM>/<DD>/<session id>/.
      openFiles: ['$XDG_DATA_HOME/muse/sessions/**'],
    },
    home: [
      // T: ${XDG_DATA_HOME:-~/.local/share}/muse holds sessions and the bundled skills (muse-core).
      { path: '$XDG_DATA_HOME/muse/sessions' },
      { path: '$XDG_DATA_HOME/muse/skills/bundled/muse-core' },
    ],
  },
  remove: { native: 'delete the muse launcher and its muse-bin-* copies from the folder `command -v muse` names; sessions stay in ~/.local/share/muse' },
  sources: [
    'https://superagenticai.github.io/superqode/providers/muse-code/',
    'https://pypi.org/project/muse-cli/',
  ],
};

export default tool;
