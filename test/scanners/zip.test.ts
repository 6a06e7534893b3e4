import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { createHost } from '../../src/host.js';
import { DEFAULT_ZIP_LIMITS, findZipEntry, readZipEntry, ZipFormatError, type ZipSource } from '../../src/scanners/zip.js';
import { makeZip, pluginXml } from '../fixtures/editors/zip-writer.js';
import { makeTempDir, removeTempDirs, writeFile } from '../helpers/temp.js';

const JARS = fileURLToPath(new URL('../fixtures/editors/jars/', import.meta.url));

/** A zip source over a buffer that records every read. */
function bufferSource(bytes: Buffer): ZipSource & { reads: Array<[offset: number, length: number]>; bytesRead(): number } {
  const reads: Array<[number, number]> = [];
  return {
    size: bytes.length,
    reads,
    bytesRead: () => reads.reduce((sum, [offset, length]) => sum + Math.max(0, Math.min(length, bytes.length - offset)), 0),
    async read(offset, length) {
      reads.push([offset, length]);
      return bytes.subarray(offset, offset + length);
    },
  };
}

const text = async (source: ZipSource, name: string) => (await readZipEntry(source, name))?.toString('utf8');

const ENTRIES = [
  { name: 'META-INF/MANIFEST.MF', data: 'Manifest-Version: 1.0\r\n' },
  { name: 'com/example/Big.class', data: Buffer.alloc(200_000, 1) },
  { name: 'META-INF/plugin.xml', data: pluginXml('com.example.plugin', '1.2.3') },
];

describe('readZipEntry', () => {
  it.each(['stored', 'deflated'] as const)('reads a %s entry', async (method) => {
    const zip = makeZip(ENTRIES.map((entry) => ({ ...entry, method })));
    expect(await text(bufferSource(zip), 'META-INF/plugin.xml')).toBe(pluginXml('com.example.plugin', '1.2.3'));
    expect(await text(bufferSource(zip), 'META-INF/MANIFEST.MF')).toBe('Manifest-Version: 1.0\r\n');
  });

  it('reads a jar made by the JDK jar tool (data descriptors, extra fields, directory entries)', async () => {
    const jar = readFileSync(`${JARS}/jar-tool-plugin.jar`);
    const xml = await text(bufferSource(jar), 'META-INF/plugin.xml');
    expect(xml).toContain('<id>com.example.jartool</id>');
    expect(xml).toContain('<version>3.1.4</version>');
  });

  it('returns undefined for an entry the archive does not have (names are case-sensitive)', async () => {
    const zip = makeZip(ENTRIES);
    expect(await readZipEntry(bufferSource(zip), 'META-INF/PLUGIN.XML')).toBeUndefined();
    expect(await readZipEntry(bufferSource(makeZip([])), 'META-INF/plugin.xml')).toBeUndefined();
  });

  it('reads the tail, the entry and nothing in between: a large archive costs a few small reads', async () => {
    const zip = makeZip(ENTRIES, { comment: 'built by a test' });
    const source = bufferSource(zip);
    expect(await text(source, 'META-INF/plugin.xml')).toContain('com.example.plugin');
    expect(source.reads.length).toBeLessThanOrEqual(3);
    // The 200 kB class file sits between the entry and the directory and is never read.
    expect(source.bytesRead()).toBeLessThan(70_000);
  });

  it('copes with a long comment, even one that holds an end-record signature', async () => {
    // A fake end record (all zeros: no entries, no comment) near the end of the comment.
    const fake = Buffer.concat([Buffer.from('PK\x05\x06', 'latin1'), Buffer.alloc(18)]).toString('latin1');
    const zip = makeZip(ENTRIES, { comment: `${'x'.repeat(60_000)}${fake}${'y'.repeat(100)}` });
    expect(await text(bufferSource(zip), 'META-INF/plugin.xml')).toContain('com.example.plugin');
    // Bytes after the comment (a sloppy writer) still leave the record findable.
    const trailing = Buffer.concat([makeZip(ENTRIES, { comment: 'c' }), Buffer.from('junk')]);
    expect(await text(bufferSource(trailing), 'META-INF/plugin.xml')).toContain('com.example.plugin');
  });

  it('reads archives with data in front of them and zip64 end records', async () => {
    const prefix = '#!/bin/sh\nexec java -jar "$0" "$@"\n';
    for (const options of [{ prefix }, { zip64: true }, { zip64: true, prefix }, { dataDescriptor: true, prefix }]) {
      const zip = makeZip(ENTRIES, options);
      expect(await text(bufferSource(zip), 'META-INF/plugin.xml'), JSON.stringify(options)).toContain('com.example.plugin');
    }
  });

  it('reads at most the end-record window of a file that is no zip, however large', async () => {
    const reads: Array<[number, number]> = [];
    const gigabyte: ZipSource = {
      size: 1024 ** 3,
      async read(offset, length) {
        reads.push([offset, length]);
        return Buffer.alloc(length);
      },
    };
    await expect(readZipEntry(gigabyte, 'META-INF/plugin.xml')).rejects.toThrow('no end of central directory record');
    expect(reads).toEqual([[1024 ** 3 - (22 + 0xffff), 22 + 0xffff]]);
  });

  it.each([
    ['empty', () => Buffer.alloc(0), 'too small to be a zip'],
    ['cut short at the end', (zip: Buffer) => zip.subarray(0, zip.length - 10), 'no end of central directory record'],
    ['cut inside the entry data', (zip: Buffer) => Buffer.concat([zip.subarray(0, 40), zip.subarray(zip.length - 160)]), ZipFormatError],
    ['a mangled central directory', (zip: Buffer) => mangle(zip, zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'))), 'bad central directory record'],
    ['a mangled local header', (zip: Buffer) => mangle(zip, zip.lastIndexOf(Buffer.from('PK\x03\x04', 'latin1'))), 'bad local header'],
  ])('refuses an archive %s', async (_case, damage, error) => {
    const zip = makeZip(ENTRIES.map((entry) => ({ ...entry, method: 'stored' as const })));
    await expect(readZipEntry(bufferSource(damage(zip)), 'META-INF/plugin.xml')).rejects.toThrow(error);
  });

  it('refuses a central directory or an entry over the limits, and a deflate bomb', async () => {
    const zip = makeZip(ENTRIES);
    await expect(readZipEntry(bufferSource(zip), 'META-INF/plugin.xml', { ...DEFAULT_ZIP_LIMITS, maxCentralDirectoryBytes: 64 })).rejects.toThrow(
      'central directory over 64 bytes',
    );
    await expect(readZipEntry(bufferSource(zip), 'com/example/Big.class', DEFAULT_ZIP_LIMITS)).resolves.toHaveLength(200_000);
    await expect(readZipEntry(bufferSource(zip), 'com/example/Big.class', { ...DEFAULT_ZIP_LIMITS, maxEntryBytes: 100_000 })).rejects.toThrow(
      'entry over 100000 bytes',
    );

    // An entry whose directory record claims 10 bytes but which inflates to 5 MB stops at the limit.
    const bomb = makeZip([{ name: 'META-INF/plugin.xml', data: Buffer.alloc(5 * 1024 * 1024) }]);
    const centralSize = bomb.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1')) + 24;
    bomb.writeUInt32LE(10, centralSize);
    await expect(readZipEntry(bufferSource(bomb), 'META-INF/plugin.xml')).rejects.toThrow('entry does not inflate');
  });

  it('refuses encrypted entries and compression methods other than stored and deflated', async () => {
    const zip = makeZip(ENTRIES);
    const central = zip.lastIndexOf(Buffer.from('PK\x01\x02', 'latin1'));
    const bzip2 = Buffer.from(zip);
    bzip2.writeUInt16LE(12, central + 10);
    await expect(readZipEntry(bufferSource(bzip2), 'META-INF/plugin.xml')).rejects.toThrow('unsupported compression method 12');
    const encrypted = Buffer.from(zip);
    encrypted.writeUInt16LE(zip.readUInt16LE(central + 8) | 1, central + 8);
    await expect(readZipEntry(bufferSource(encrypted), 'META-INF/plugin.xml')).rejects.toThrow('entry is encrypted');
  });

  it('reports where the entry is and how it is stored', async () => {
    const data = pluginXml('com.example.plugin');
    const zip = makeZip([{ name: 'META-INF/plugin.xml', data }], { prefix: 'xyz' });
    expect(await findZipEntry(bufferSource(zip), 'META-INF/plugin.xml')).toEqual({
      name: 'META-INF/plugin.xml',
      method: 8,
      flags: 0x800,
      compressedSize: deflateRawSync(Buffer.from(data)).length,
      uncompressedSize: Buffer.byteLength(data),
      localHeaderOffset: 3,
    });
  });

  it('says when the source cannot be read', async () => {
    const zip = makeZip(ENTRIES);
    const failing: ZipSource = { size: zip.length, read: async () => undefined };
    await expect(readZipEntry(failing, 'META-INF/plugin.xml')).rejects.toThrow('end of file unreadable');
  });
});

describe('Host.readFileBytes as a zip source', () => {
  afterAll(removeTempDirs);

  it('reads a jar on disk at offsets, stops at its end, and never opens a FIFO', async () => {
    const dir = await makeTempDir();
    const jar = makeZip(ENTRIES);
    await writeFile(join(dir, 'plugin.jar'), jar);
    execFileSync('mkfifo', [join(dir, 'fifo.jar')]);
    const host = createHost({ env: { HOME: dir } });
    const path = `${dir}/plugin.jar`;

    expect(await host.readFileBytes(path, 4)).toEqual(Buffer.from('PK\x03\x04', 'latin1'));
    expect(await host.readFileBytes(path, 100, jar.length - 22)).toEqual(jar.subarray(jar.length - 22));
    expect(await host.readFileBytes(path, 10, jar.length + 5)).toEqual(Buffer.alloc(0));
    expect(await host.readFileBytes(`${dir}/fifo.jar`, 10)).toBeUndefined();
    expect(await host.readFileBytes(dir, 10)).toBeUndefined();

    const source: ZipSource = { size: jar.length, read: (offset, length) => host.readFileBytes(path, length, offset) };
    expect(await text(source, 'META-INF/plugin.xml')).toBe(pluginXml('com.example.plugin', '1.2.3'));
  });
});

function mangle(zip: Buffer, at: number): Buffer {
  const copy = Buffer.from(zip);
  copy.writeUInt32LE(0x12345678, at);
  return copy;
}
