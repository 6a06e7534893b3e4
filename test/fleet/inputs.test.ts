// Reading a collection folder for `aitool report`: whoever can write into the
// folder may plant links; a link is read only while it leads to the file
// inside the folder that the walk checked.
import { rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { collectInputs, DEFAULT_LIMITS, readBounded } from '../../src/fleet/inputs.js';
import { makeTempDir, removeTempDirs, writeFile } from '../helpers/temp.js';

afterAll(removeTempDirs);

describe('a link in the collection folder', () => {
  it('is read while it leads to the file the walk checked, and refused once it is swapped for a link out of the folder', async () => {
    const base = await makeTempDir('aitool-fleet-inputs-');
    const folder = join(base, 'collected');
    await writeFile(join(folder, 'real.json'), '{"schemaVersion":1}\n');
    const secret = await writeFile(join(base, 'secret.json'), '{"schemaVersion":1,"host":{"hostname":"not for the summary"}}\n');
    symlinkSync('real.json', join(folder, 'machine.json'));

    const { files } = await collectInputs([folder], DEFAULT_LIMITS);
    const link = files.find((file) => file.path.endsWith('machine.json'))!;
    expect(link).toMatchObject({ follow: true });
    expect(await readBounded(link, 1024)).toMatchObject({ ok: true, text: '{"schemaVersion":1}\n' });

    // Swapped after the walk, before the read.
    rmSync(join(folder, 'machine.json'));
    symlinkSync(secret, join(folder, 'machine.json'));
    expect(await readBounded(link, 1024)).toEqual({ ok: false, reason: 'symbolic link changed while being read; not followed' });
  });

  it('out of the folder from the start is never read', async () => {
    const base = await makeTempDir('aitool-fleet-inputs-');
    const folder = join(base, 'collected');
    const secret = await writeFile(join(base, 'secret.json'), '{}\n');
    await writeFile(join(folder, 'real.json'), '{}\n');
    symlinkSync(secret, join(folder, 'out.json'));
    const { files, leftOut } = await collectInputs([folder], DEFAULT_LIMITS);
    expect(files.map((file) => file.path)).toEqual([join(folder, 'real.json')]);
    expect(leftOut.linksOut).toBe(1);
  });
});
