// Where `aitool apply` may write without --root: every existing folder on the
// way must be root's alone. Only looked at here (no system path is written):
// the temp folder everyone can write in is such a folder.
import { chmodSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { Locations } from '../../src/apply/locations.js';
import { noteTempDir } from '../helpers/temp.js';

const made: string[] = [];
afterEach(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('Locations without --root', () => {
  it('refuses a path under a folder other users can write in (the sticky temp folder included)', async () => {
    // A folder like /tmp: writable by everyone (1777). Made here, so the test does not depend on what TMPDIR is.
    const sticky = noteTempDir(mkdtempSync(join(tmpdir(), 'aitool-sticky-')));
    made.push(sticky);
    chmodSync(sticky, 0o1777);
    // The refusal names the first folder from the top that others can write: /tmp itself on most machines, else this one.
    const parts = sticky.split('/').filter(Boolean);
    const offender = parts.map((_, i) => `/${parts.slice(0, i + 1).join('/')}`).find((dir) => {
      const stat = statSync(dir);
      return (stat.mode & 0o002) !== 0 || ((stat.mode & 0o020) !== 0 && stat.gid !== 0);
    })!;
    const { uid, mode } = statSync(offender);
    const locations = await Locations.create('linux', undefined, '/');
    const file = join(sticky, 'aitool-apply-never-created', 'settings.json');
    await expect(locations.check(file)).rejects.toThrow(
      `apply: refusing ${file}: ${offender} can be changed by a user other than root (owner ${uid}, mode ${(mode & 0o7777).toString(8)})`,
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
