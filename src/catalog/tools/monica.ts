import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'monica',
  name: 'Monica',
  vendor: 'Monica',
  homepage: 'https://monica.im',
  category: 'browser-extension',
  description: 'All-in-one AI assistant sidebar for the browser (chat, page summaries, writing, agent tasks).',
  install: 'https://chromewebstore.google.com/detail/monica-all-in-one-ai-assi/ofpnmcalabcbjgholdjcjblkibolbppb',
  signatures: {
    browserExtensions: {
      // D: the store page.
      chromium: ['ofpnmcalabcbjgholdjcjblkibolbppb'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/monica-all-in-one-ai-assi/ofpnmcalabcbjgholdjcjblkibolbppb'],
};

export default tool;
