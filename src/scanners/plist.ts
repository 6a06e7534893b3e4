/**
 * Property lists (a macOS bundle's Contents/Info.plist), read just far enough
 * to know the bundle: the string values of the top-level dictionary
 * (CFBundleIdentifier, CFBundleShortVersionString, CFBundleName, ...).
 * Both forms are read: XML, and binary (`bplist00`). Nested dictionaries and
 * arrays are passed over, and so is every value that is not a string.
 * Anything malformed or cut short throws a PlistError; nothing is trusted
 * (every offset and count is checked against the data before it is used).
 */

export class PlistError extends Error {
  override name = 'PlistError';
}

const BPLIST_MAGIC = 'bplist00';
const TRAILER_BYTES = 32;
const CORRUPT = 'binary property list is truncated or corrupt';

/** The data starts like a binary property list. */
export function isBinaryPlist(data: Uint8Array): boolean {
  return data.length >= BPLIST_MAGIC.length && Buffer.from(data.buffer, data.byteOffset, BPLIST_MAGIC.length).toString('latin1') === BPLIST_MAGIC;
}

/** The top-level dictionary's string values, by key, from an XML or binary property list. */
export function readPlistStrings(data: Uint8Array): Map<string, string> {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  if (bytes.length >= 6 && bytes.subarray(0, 6).toString('latin1') === 'bplist') {
    if (!isBinaryPlist(bytes)) throw new PlistError(`unsupported binary property list version ${JSON.stringify(bytes.subarray(6, 8).toString('latin1'))}`);
    return readBinaryPlist(bytes);
  }
  return readXmlPlist(decodeText(bytes));
}

// ---------------------------------------------------------------------------
// Binary: a header, the objects, an offset table (one offset per object) and
// a 32-byte trailer that says where the table is and how wide its numbers are.
// ---------------------------------------------------------------------------

function readBinaryPlist(bytes: Buffer): Map<string, string> {
  if (bytes.length < BPLIST_MAGIC.length + TRAILER_BYTES) throw new PlistError(`${CORRUPT} (no room for its trailer)`);
  const trailer = bytes.length - TRAILER_BYTES;
  const offsetSize = bytes[trailer + 6]!;
  const refSize = bytes[trailer + 7]!;
  const objectCount = readUInt(bytes, trailer + 8, 8);
  const topObject = readUInt(bytes, trailer + 16, 8);
  const tableOffset = readUInt(bytes, trailer + 24, 8);
  if (offsetSize < 1 || offsetSize > 8 || refSize < 1 || refSize > 8) {
    throw new PlistError(`${CORRUPT} (bad trailer)`);
  }
  if (objectCount < 1 || topObject >= objectCount || tableOffset < BPLIST_MAGIC.length || tableOffset + objectCount * offsetSize > trailer) {
    throw new PlistError(`${CORRUPT} (offset table out of range)`);
  }

  const offsetOf = (ref: number): number => {
    if (ref >= objectCount) throw new PlistError(`${CORRUPT} (reference to object ${ref} of ${objectCount})`);
    const offset = readUInt(bytes, tableOffset + ref * offsetSize, offsetSize);
    if (offset < BPLIST_MAGIC.length || offset >= tableOffset) throw new PlistError(`${CORRUPT} (object offset out of range)`);
    return offset;
  };

  /** Marker, and the object's length with the position its contents start at. */
  const header = (offset: number): { type: number; count: number; start: number } => {
    const marker = bytes[offset]!;
    const type = marker >> 4;
    const info = marker & 0x0f;
    if (info !== 0x0f) return { type, count: info, start: offset + 1 };
    // A length of 15 or more follows as an integer object.
    const intMarker = bytes[offset + 1];
    if (intMarker === undefined || intMarker >> 4 !== 0x1) throw new PlistError(`${CORRUPT} (malformed length)`);
    const width = 1 << (intMarker & 0x0f);
    if (width > 8 || offset + 2 + width > tableOffset) throw new PlistError(`${CORRUPT} (malformed length)`);
    return { type, count: readUInt(bytes, offset + 2, width), start: offset + 2 + width };
  };

  /** The string an object holds, or undefined for any other kind of object. */
  const stringAt = (ref: number): string | undefined => {
    const offset = offsetOf(ref);
    const kind = bytes[offset]! >> 4;
    if (kind !== 0x5 && kind !== 0x6) return undefined;
    const { type, count, start } = header(offset);
    if (type === 0x5) {
      if (start + count > tableOffset) throw new PlistError(`${CORRUPT} (string runs past the objects)`);
      return bytes.subarray(start, start + count).toString('latin1');
    }
    if (type === 0x6) {
      if (start + count * 2 > tableOffset) throw new PlistError(`${CORRUPT} (string runs past the objects)`);
      // UTF-16 big-endian: swap into little-endian for Buffer's decoder.
      const swapped = Buffer.from(bytes.subarray(start, start + count * 2));
      swapped.swap16();
      return swapped.toString('utf16le');
    }
    return undefined;
  };

  const top = header(offsetOf(topObject));
  if (top.type !== 0xd) throw new PlistError('binary property list: the top-level object is not a dictionary');
  const count = top.count;
  if (count > objectCount || top.start + 2 * count * refSize > tableOffset) {
    throw new PlistError(`${CORRUPT} (dictionary runs past the objects)`);
  }
  const values = new Map<string, string>();
  for (let i = 0; i < count; i++) {
    const key = stringAt(readUInt(bytes, top.start + i * refSize, refSize));
    if (key === undefined) continue;
    const value = stringAt(readUInt(bytes, top.start + (count + i) * refSize, refSize));
    if (value !== undefined && !values.has(key)) values.set(key, value);
  }
  return values;
}

/** A big-endian unsigned integer of 1 to 8 bytes; throws past the data or past 2^53. */
function readUInt(bytes: Buffer, offset: number, width: number): number {
  if (offset < 0 || offset + width > bytes.length) throw new PlistError(`${CORRUPT} (read past the end)`);
  let value = 0;
  for (let i = 0; i < width; i++) {
    value = value * 256 + bytes[offset + i]!;
  }
  if (!Number.isSafeInteger(value)) throw new PlistError(`${CORRUPT} (number too large)`);
  return value;
}

// ---------------------------------------------------------------------------
// XML: a light scanner, not a full XML parser. It follows element nesting so
// that a key inside a nested dictionary (CFBundleURLTypes) is never mistaken
// for a top-level one.
// ---------------------------------------------------------------------------

function decodeText(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le');
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    swapped.swap16();
    return swapped.toString('utf16le');
  }
  const text = bytes.toString('utf8');
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#')) {
      const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
      return code >= 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole;
    }
    return ENTITIES[name] ?? whole;
  });
}

// Comments, CDATA, processing instructions and declarations, tags, and text.
const XML_TOKEN = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[([\s\S]*?)(?:\]\]>|$)|<[?!][^>]*>?|<(\/?)([A-Za-z_][\w.-]*)[^>]*?(\/?)>|<|[^<]+/g;

function readXmlPlist(text: string): Map<string, string> {
  if (!/<plist[\s>]|<dict[\s/>]/.test(text)) throw new PlistError('not a property list (neither binary nor XML)');
  const values = new Map<string, string>();
  const stack: string[] = [];
  /** Depth of the stack while inside the top-level dictionary, once it is open. */
  let topDepth = -1;
  let topClosed = false;
  let pendingKey: string | undefined;
  /** Text gathered for the <key> or <string> that is a direct child of the top-level dictionary. */
  let capture: { element: 'key' | 'string'; text: string } | undefined;

  for (const token of text.matchAll(XML_TOKEN)) {
    const [whole, cdata, slash, name, selfClosing] = token;
    if (name === undefined) {
      if (capture && cdata !== undefined) capture.text += cdata;
      else if (capture && !whole.startsWith('<')) capture.text += decodeEntities(whole);
      continue;
    }
    const inTop = topDepth >= 0 && !topClosed && stack.length === topDepth;
    if (slash) {
      // Closing tag: pop to the matching element (tolerating stray closers).
      const index = stack.lastIndexOf(name);
      if (index < 0) continue;
      const closingDirectChild = topDepth >= 0 && !topClosed && index === topDepth;
      stack.length = index;
      if (topDepth >= 0 && !topClosed && stack.length < topDepth) {
        topClosed = true;
        break;
      }
      if (closingDirectChild && capture && capture.element === name) {
        if (name === 'key') pendingKey = capture.text;
        else if (pendingKey !== undefined) {
          if (!values.has(pendingKey)) values.set(pendingKey, capture.text);
          pendingKey = undefined;
        }
        capture = undefined;
      } else if (closingDirectChild && name !== 'key') {
        // Any other value (integer, array, nested dict, ...) uses up the key.
        pendingKey = undefined;
      }
      continue;
    }
    // Opening or self-closing tag.
    if (topDepth < 0 && name === 'dict' && (stack.length === 0 || (stack.length === 1 && stack[0] === 'plist'))) {
      if (selfClosing) return values;
      stack.push(name);
      topDepth = stack.length;
      continue;
    }
    if (inTop) {
      if (selfClosing) {
        // `<string/>` is an empty string; `<true/>` and the like use up the key.
        if (name === 'string' && pendingKey !== undefined && !values.has(pendingKey)) values.set(pendingKey, '');
        if (name !== 'key') pendingKey = undefined;
        continue;
      }
      if (name === 'key' || (name === 'string' && pendingKey !== undefined)) capture = { element: name, text: '' };
    }
    if (!selfClosing) stack.push(name);
  }
  if (topDepth < 0) throw new PlistError('property list has no top-level dictionary');
  if (!topClosed) throw new PlistError('XML property list is truncated (its dictionary is never closed)');
  return values;
}
