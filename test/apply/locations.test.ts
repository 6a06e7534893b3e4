// Where `aitool apply` may write without --root: every existing folder on the
// way must be root's alone. Only looked at here (no system path is written):
// the temp folder everyone can write in is such a folder.
import { statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Locations } from '../../src/apply/locations.js';

describe('Locations without --root', () => {
  it('refuses a path under a folder other users can write in (the sticky temp folder included)', async () => {
    const tmp = tmpdir();
    // The premise: the temp folder is root's and writable by everyone (1777), as on every Linux.
    expect([statSync(tmp).uid, (statSync(tmp).mode & 0o7777).toString(8)]).toEqual([0, '1777']);
    const locations = await Locations.create('linux', undefined, '/');
    await expect(locations.check(join(tmp, 'aitool-apply-never-created', 'settings.json'))).rejects.toThrow(
      `apply: refusing ${join(tmp, 'aitool-apply-never-created', 'settings.json')}: ${tmp} can be changed by a user other than root (owner 0, mode 1777)`,
    );
  });

  it('accepts a path whose existing folders are root\'s alone, and lists the folders to create', async () => {
    const locations = await Locations.create('linux', undefined, '/');
    // /usr is root's 0755 on any Linux; nothing is created by check.
    expect(await locations.check('/usr/aitool-apply-never-created/sub/settings.json')).toEqual(['/usr/aitool-apply-never-created', '/usr/aitool-apply-never-created/sub']);
  });

  it('maps Windows paths into the staging tree and back', async () => {
    const locations = await Locations.create('windows', tmpdir(), '/');
    const real = locations.real('C:\\Program Files\\ClaudeCode\\managed-settings.json');
    expect(real).toBe(join(tmpdir(), 'C', 'Program Files', 'ClaudeCode', 'managed-settings.json'));
    expect(locations.logical(real)).toBe('C:\\Program Files\\ClaudeCode\\managed-settings.json');
  });
});
