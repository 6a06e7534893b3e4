import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadPolicy } from '../../src/policy/load.js';
import { builtInPolicy } from '../../src/policy/merge.js';
import { formatPolicy } from '../../src/policy/show.js';
import { sandbox, type Sandbox } from '../fixtures/policy/helpers.js';

let box: Sandbox;
beforeEach(async () => {
  box = await sandbox();
});
afterEach(async () => {
  await box.cleanup();
});

describe('formatPolicy', () => {
  it('shows every value with the layer and file that set it, then files and warnings', async () => {
    await box.write({
      'etc-aitool/policy.yaml': 'tools:\n  cursor: block\n',
      'repo/.aitoolrc.yaml': [
        'extends: aitool:recommended',
        'tools:',
        '  claude-code:',
        '    action: block',
        '    reason: Data boundary.',
        '    alternatives: [qoder]',
        '  cursor: allow',
      ].join('\n'),
    });
    const text = formatPolicy(await loadPolicy(box.options));
    const repoFile = path.join(box.repo, '.aitoolrc.yaml');
    const managedFile = path.join(box.managedDir, 'policy.yaml');
    const lines = text.split('\n');
    const line = (key: string): string | undefined => lines.find((l) => l.startsWith(`${key} `));
    expect(line('default')).toMatch(/^default +warn +\(project: aitool:recommended\)$/);
    expect(line('tools.claude-code')).toMatch(new RegExp(`^tools\\.claude-code +block +\\(project: ${escape(repoFile)}\\)$`));
    expect(line('tools.claude-code.reason')).toMatch(/ +"Data boundary\." +\(project: /);
    expect(line('tools.claude-code.alternatives')).toMatch(/ +qoder +\(project: /);
    expect(line('tools.cursor')).toMatch(new RegExp(`block +\\(managed: ${escape(managedFile)}\\)$`));
    expect(line('categories.local-model-runtime')).toMatch(/allow +\(project: aitool:recommended\)$/);
    expect(line('scanners.path')).toMatch(/on +\(project: aitool:recommended\)$/);
    expect(text).toContain(`  managed  ${managedFile}\n`);
    expect(text).toContain(`warnings:\n  ${repoFile}: tools.cursor.action: sets cursor to allow, but the managed policy ${managedFile} blocks it; ignored\n`);
    expect(text).not.toMatch(/\u001b\[/);
  });

  it('says when only the built-in default applies', () => {
    const text = formatPolicy(builtInPolicy());
    expect(text).toMatch(/^default +warn +\(built-in default\)$/m);
    expect(text).toMatch(/^scanners\.traces +on +\(built-in default\)$/m);
    expect(text).toContain('none: the built-in default applies');
    expect(text).not.toContain('warnings:');
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
