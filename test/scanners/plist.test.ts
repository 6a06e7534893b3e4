import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { isBinaryPlist, PlistError, readPlistStrings } from '../../src/scanners/plist.js';

// Written by Python's plistlib (see test/fixtures/apps/generate.py), not by the code under test.
const FIXTURES = fileURLToPath(new URL('../fixtures/apps/', import.meta.url));
const fixture = (path: string): Buffer => readFileSync(`${FIXTURES}${path}`);

const BIG_STRINGS = {
  CFBundleIdentifier: 'dev.example.big-bundle-with-a-long-identifier',
  CFBundleName: 'Größe – 大きい',
  CFBundleShortVersionString: '10.20.30',
  Empty: '',
  ...Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`Key${String(i).padStart(2, '0')}`, `value ${i}`])),
};

/** Parses, and says how it went: the values, or the error's class name. */
function attempt(data: Uint8Array): Map<string, string> | string {
  try {
    return readPlistStrings(data);
  } catch (error) {
    return error instanceof PlistError ? 'PlistError' : `${(error as Error).name}: ${(error as Error).message}`;
  }
}

describe('binary property lists', () => {
  it('reads the top-level strings, passing over nested dictionaries, arrays, numbers and data', () => {
    const data = fixture('plist/big.bplist');
    expect(isBinaryPlist(data)).toBe(true);
    // More than 255 objects: object references are two bytes wide, lengths past 15 use the extended form.
    expect(data[data.length - 32 + 7]).toBe(2);
    expect(Object.fromEntries(readPlistStrings(data))).toEqual(BIG_STRINGS);
  });

  it("reads a bundle's Info.plist", () => {
    const values = readPlistStrings(fixture('macos/Applications/Windsurf.app/Contents/Info.plist'));
    expect(values.get('CFBundleIdentifier')).toBe('com.exafunction.windsurf');
    expect(values.get('CFBundleShortVersionString')).toBe('1.12.4');
    expect(values.get('CFBundleName')).toBe('Windsurf');
    // Inside CFBundleURLTypes only.
    expect(values.has('CFBundleURLName')).toBe(false);
  });

  it('refuses a top level that is not a dictionary, and other versions of the format', () => {
    expect(() => readPlistStrings(fixture('plist/array-top.bplist'))).toThrow(/not a dictionary/);
    const other = Buffer.from(fixture('plist/big.bplist'));
    other.write('bplist15', 0, 'latin1');
    expect(() => readPlistStrings(other)).toThrow(PlistError);
  });

  it('throws a PlistError, never anything else, for every truncation', () => {
    const data = fixture('plist/big.bplist');
    const outcomes = new Set<string>();
    for (let length = 0; length < data.length; length++) {
      const outcome = attempt(data.subarray(0, length));
      outcomes.add(typeof outcome === 'string' ? outcome : 'parsed');
    }
    expect([...outcomes]).toEqual(['PlistError']);
  });

  it('never throws anything but a PlistError on corrupted bytes', () => {
    const data = fixture('plist/big.bplist');
    let seed = 7;
    const random = (n: number): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const unexpected: string[] = [];
    for (let round = 0; round < 2000; round++) {
      const copy = Buffer.from(data);
      // Corrupt the trailer, the offset table or the objects, a few bytes at a time.
      const region = round % 3 === 0 ? copy.length - 32 : round % 3 === 1 ? copy.length - 32 - 700 : 8;
      for (let flips = 1 + random(3); flips > 0; flips--) copy[region + random(round % 3 === 0 ? 32 : 600)] = random(256);
      const outcome = attempt(copy);
      if (typeof outcome === 'string' && outcome !== 'PlistError') unexpected.push(outcome);
    }
    expect(unexpected).toEqual([]);
  });
});

describe('XML property lists', () => {
  it('reads the same values as the binary form', () => {
    expect(Object.fromEntries(readPlistStrings(fixture('plist/big.xml.plist')))).toEqual(BIG_STRINGS);
  });

  it('decodes entities and CDATA, skips comments, and keeps the first of a repeated key', () => {
    const xml = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0">
<!-- <dict><key>CFBundleIdentifier</key><string>commented.out</string></dict> -->
<dict>
  <key>CFBundleName</key><string>R&amp;D &lt;tools&gt; &#169; &#x263A;</string>
  <key>CFBundleIdentifier</key><string><![CDATA[com.example.<cdata>]]></string>
  <key>Nothing</key><string/>
  <key>Flag</key><true/>
  <key>CFBundleVersion</key>
  <string>
    7
  </string>
  <key>CFBundleName</key><string>second</string>
</dict>
</plist>`;
    expect(Object.fromEntries(readPlistStrings(Buffer.from(xml)))).toEqual({
      CFBundleName: 'R&D <tools> © ☺',
      CFBundleIdentifier: 'com.example.<cdata>',
      Nothing: '',
      CFBundleVersion: '\n    7\n  ',
    });
  });

  it('does not take a key from a nested dictionary, or a value that is not a string', () => {
    const xml =
      '<plist><dict><key>A</key><dict><key>CFBundleIdentifier</key><string>nested</string></dict>' +
      '<key>B</key><integer>3</integer><key>C</key><array><string>x</string></array><key>D</key><string>d</string></dict></plist>';
    expect(Object.fromEntries(readPlistStrings(Buffer.from(xml)))).toEqual({ D: 'd' });
  });

  it('reads UTF-16 with a byte-order mark', () => {
    const xml = '<plist><dict><key>CFBundleName</key><string>Zürich</string></dict></plist>';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    const be = Buffer.from(le);
    be.swap16();
    expect(readPlistStrings(le).get('CFBundleName')).toBe('Zürich');
    expect(readPlistStrings(be).get('CFBundleName')).toBe('Zürich');
  });

  it('throws a PlistError for a truncated document or one that is no property list', () => {
    const xml = fixture('plist/big.xml.plist');
    expect(() => readPlistStrings(xml.subarray(0, Math.floor(xml.length / 2)))).toThrow(/truncated/);
    for (let length = 0; length < xml.length - 10; length += 7) {
      expect(attempt(xml.subarray(0, length))).toBe('PlistError');
    }
    expect(() => readPlistStrings(Buffer.from('{"CFBundleIdentifier": "json.is.not.a.plist"}'))).toThrow(PlistError);
    expect(() => readPlistStrings(Buffer.alloc(0))).toThrow(PlistError);
  });
});
