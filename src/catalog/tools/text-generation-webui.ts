import type { ToolEntry } from '../schema.js';

// Installed by cloning the repository and running its start script, which puts a private
// conda environment in installer_files/: the checkout's own paths are the signature.
const tool: ToolEntry = {
  id: 'text-generation-webui',
  name: 'text-generation-webui',
  vendor: 'oobabooga (open source)',
  homepage: 'https://github.com/oobabooga/text-generation-webui',
  category: 'local-model-runtime',
  description: 'Gradio web UI that downloads and serves local language models, with an OpenAI-compatible API.',
  install: 'git clone https://github.com/oobabooga/text-generation-webui, then run its start_<os> script',
  signatures: {
    // T: StepSecurity frameworks (binary and process `textgen`); generic, so only with a path.
    executables: [{ name: 'textgen', ambiguous: true }],
    processes: {
      names: ['textgen'],
      ambiguousNames: ['textgen'],
      paths: ['text-generation-webui/installer_files/**'],
      // The repository's entry points: server.py, and one_click.py behind the start scripts.
      args: ['text-generation-webui[\\\\/](server|one_click)\\.py\\b'],
    },
  },
  remove: { native: 'delete the text-generation-webui folder (its installer_files/ holds the environment)' },
  sources: [
    'https://github.com/oobabooga/text-generation-webui',
    'https://github.com/step-security/dev-machine-guard/blob/main/internal/detector/framework.go',
  ],
};

export default tool;
