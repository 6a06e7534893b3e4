import type { ToolEntry } from '../schema.js';

const tool: ToolEntry = {
  id: 'sider',
  name: 'Sider',
  vendor: 'Sider',
  homepage: 'https://sider.ai',
  category: 'browser-extension',
  description: 'AI sidebar for the browser: chat with several models about the page being read.',
  install: 'https://chromewebstore.google.com/detail/difoiogjjojoaoomphldepapgpbgkhkb',
  signatures: {
    browserExtensions: {
      // D: the store page (also named in the Spyder/MaXSS research on AI side-panel extensions).
      chromium: ['difoiogjjojoaoomphldepapgpbgkhkb'],
    },
  },
  sources: ['https://chromewebstore.google.com/detail/difoiogjjojoaoomphldepapgpbgkhkb'],
};

export default tool;
