/**
 * Reads one named entry out of a zip file (a JetBrains plugin jar) with a
 * handful of bounded reads: the end record from the file's tail, the central
 * directory, then the entry's local header and data. Nothing else of the
 * archive is read, so a plugin jar of any size costs the same few reads, and
 * a file that only looks like a zip (a sparse 1 GB file named `x.jar`) costs
 * one 64 KiB read of its tail.
 *
 * Stored and deflated entries are supported, as are zip64 archives and
 * archives with data before them (a launcher script prepended to a jar).
 * Anything else (encryption, other methods, a directory or entry past a
 * limit, a structure that does not add up) is a ZipFormatError.
 */

/** Random access to the archive's bytes. */
export interface ZipSource {
  /** Total size in bytes. */
  readonly size: number;
  /** Up to `length` bytes at `offset` (fewer at the end of the file); undefined when unreadable. */
  read(offset: number, length: number): Promise<Buffer | undefined>;
}

export interface ZipLimits {
  /** A bigger central directory is refused rather than read. */
  maxCentralDirectoryBytes: number;
  /** An entry that inflates (or is stored) bigger than this is refused. */
  maxEntryBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxCentralDirectoryBytes: 4 * 1024 * 1024,
  maxEntryBytes: 1024 * 1024,
};

/** The archive is not a zip this reader can use; the message says why in a few words. */
export class ZipFormatError extends Error {
  override name = 'ZipFormatError';
}

const END_SIGNATURE = 0x06054b50;
const END_SIZE = 22;
const MAX_COMMENT = 0xffff;
const ZIP64_LOCATOR_SIGNATURE = 0x07064b50;
const ZIP64_LOCATOR_SIZE = 20;
const ZIP64_END_SIGNATURE = 0x06064b50;
const ZIP64_END_SIZE = 56;
const CENTRAL_SIGNATURE = 0x02014b50;
const CENTRAL_SIZE = 46;
const LOCAL_SIGNATURE = 0x04034b50;
const LOCAL_SIZE = 30;
const ZIP64_EXTRA_ID = 0x0001;
const FLAG_ENCRYPTED = 0x1;
const METHOD_STORED = 0;
const METHOD_DEFLATED = 8;
/** Local headers usually repeat the central extra field; reading this much more saves a second read. */
const LOCAL_EXTRA_SLACK = 256;

interface CentralDirectory {
  offset: number;
  size: number;
  /** Bytes in front of the archive proper (a prepended script); every stored offset is short by this. */
  shift: number;
  /** The tail read while looking for the end record, reused when the directory lies inside it. */
  tail: Buffer;
  tailStart: number;
}

/** An entry as the central directory describes it. */
export interface ZipEntryInfo {
  name: string;
  method: number;
  flags: number;
  compressedSize: number;
  uncompressedSize: number;
  /** Offset of the local header in the file (already corrected for data in front of the archive). */
  localHeaderOffset: number;
}

function toSafeNumber(value: bigint, what: string): number {
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new ZipFormatError(`${what} out of range`);
  return Number(value);
}

async function readExactly(source: ZipSource, offset: number, length: number, what: string): Promise<Buffer> {
  if (offset < 0 || offset + length > source.size) throw new ZipFormatError(`${what} lies outside the file`);
  const bytes = await source.read(offset, length);
  if (!bytes) throw new ZipFormatError(`${what} unreadable`);
  if (bytes.length < length) throw new ZipFormatError(`${what} truncated`);
  return bytes;
}

async function findCentralDirectory(source: ZipSource, limits: ZipLimits): Promise<CentralDirectory> {
  if (source.size < END_SIZE) throw new ZipFormatError('too small to be a zip');
  const window = Math.min(source.size, END_SIZE + MAX_COMMENT);
  const tailStart = source.size - window;
  const tail = await readExactly(source, tailStart, window, 'end of file');

  // The end record is the last one whose comment ends where the file does. A comment may itself
  // hold the signature, so a record whose comment merely fits counts only when none ends exactly
  // (some writers leave bytes after the comment).
  let at = -1;
  let fits = -1;
  for (let i = tail.length - END_SIZE; i >= 0; i--) {
    if (tail.readUInt32LE(i) !== END_SIGNATURE) continue;
    const commentEnd = i + END_SIZE + tail.readUInt16LE(i + 20);
    if (commentEnd === tail.length) {
      at = i;
      break;
    }
    if (commentEnd < tail.length && fits < 0) fits = i;
  }
  if (at < 0) at = fits;
  if (at < 0) throw new ZipFormatError('no end of central directory record');
  const endOffset = tailStart + at;

  const entries = tail.readUInt16LE(at + 10);
  let size = tail.readUInt32LE(at + 12);
  let offset = tail.readUInt32LE(at + 16);
  let recordsStart = endOffset;
  if (entries === 0xffff || size === 0xffffffff || offset === 0xffffffff) {
    const locatorAt = at - ZIP64_LOCATOR_SIZE;
    const locator =
      locatorAt >= 0
        ? tail.subarray(locatorAt, at)
        : await readExactly(source, endOffset - ZIP64_LOCATOR_SIZE, ZIP64_LOCATOR_SIZE, 'zip64 locator');
    if (locator.readUInt32LE(0) === ZIP64_LOCATOR_SIGNATURE) {
      // The locator gives the zip64 end record's offset; with data in front of the archive that
      // offset is short, and the record then sits right before the locator instead.
      const stated = toSafeNumber(locator.readBigUInt64LE(8), 'zip64 end record offset');
      const adjacent = endOffset - ZIP64_LOCATOR_SIZE - ZIP64_END_SIZE;
      let zip64EndAt = -1;
      let zip64End: Buffer | undefined;
      for (const candidate of stated === adjacent ? [stated] : [stated, adjacent]) {
        if (candidate < 0 || candidate + ZIP64_END_SIZE > endOffset) continue;
        const record = await readExactly(source, candidate, ZIP64_END_SIZE, 'zip64 end record');
        if (record.readUInt32LE(0) === ZIP64_END_SIGNATURE) {
          zip64EndAt = candidate;
          zip64End = record;
          break;
        }
      }
      if (!zip64End) throw new ZipFormatError('bad zip64 end record');
      size = toSafeNumber(zip64End.readBigUInt64LE(40), 'central directory size');
      offset = toSafeNumber(zip64End.readBigUInt64LE(48), 'central directory offset');
      recordsStart = zip64EndAt;
    }
  }

  // The directory ends where the end records begin; anything more in front is data before the archive.
  const shift = recordsStart - (offset + size);
  if (shift < 0) throw new ZipFormatError('central directory overlaps its end record');
  if (size > limits.maxCentralDirectoryBytes) throw new ZipFormatError(`central directory over ${limits.maxCentralDirectoryBytes} bytes`);
  return { offset: offset + shift, size, shift, tail, tailStart };
}

function zip64Values(extra: Buffer, wanted: { uncompressed: boolean; compressed: boolean; offset: boolean }): bigint[] {
  for (let i = 0; i + 4 <= extra.length; ) {
    const id = extra.readUInt16LE(i);
    const length = extra.readUInt16LE(i + 2);
    const body = extra.subarray(i + 4, i + 4 + length);
    if (id === ZIP64_EXTRA_ID) {
      const values: bigint[] = [];
      const count = Number(wanted.uncompressed) + Number(wanted.compressed) + Number(wanted.offset);
      if (body.length < count * 8) throw new ZipFormatError('short zip64 extra field');
      for (let k = 0; k < count; k++) values.push(body.readBigUInt64LE(k * 8));
      return values;
    }
    i += 4 + length;
  }
  throw new ZipFormatError('missing zip64 extra field');
}

/** Finds `name` (exact, case-sensitive, as zips store it) in the central directory. */
export async function findZipEntry(source: ZipSource, name: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<ZipEntryInfo | undefined> {
  const directory = await findCentralDirectory(source, limits);
  const { offset, size, tail, tailStart } = directory;
  const records =
    offset >= tailStart && offset + size <= tailStart + tail.length
      ? tail.subarray(offset - tailStart, offset - tailStart + size)
      : await readExactly(source, offset, size, 'central directory');
  const wanted = Buffer.from(name, 'utf8');

  // Walked by bytes, not by the record count: zip64 and some writers leave the count unusable.
  for (let at = 0; at < records.length; ) {
    if (at + CENTRAL_SIZE > records.length || records.readUInt32LE(at) !== CENTRAL_SIGNATURE) {
      throw new ZipFormatError('bad central directory record');
    }
    const nameLength = records.readUInt16LE(at + 28);
    const extraLength = records.readUInt16LE(at + 30);
    const commentLength = records.readUInt16LE(at + 32);
    const next = at + CENTRAL_SIZE + nameLength + extraLength + commentLength;
    if (next > records.length) throw new ZipFormatError('central directory record runs past its end');
    const nameStart = at + CENTRAL_SIZE;
    if (nameLength === wanted.length && records.subarray(nameStart, nameStart + nameLength).equals(wanted)) {
      let compressedSize = records.readUInt32LE(at + 20);
      let uncompressedSize = records.readUInt32LE(at + 24);
      let localHeaderOffset = records.readUInt32LE(at + 42);
      const need = { uncompressed: uncompressedSize === 0xffffffff, compressed: compressedSize === 0xffffffff, offset: localHeaderOffset === 0xffffffff };
      if (need.uncompressed || need.compressed || need.offset) {
        const extra = records.subarray(nameStart + nameLength, nameStart + nameLength + extraLength);
        const values = zip64Values(extra, need);
        if (need.uncompressed) uncompressedSize = toSafeNumber(values.shift()!, 'entry size');
        if (need.compressed) compressedSize = toSafeNumber(values.shift()!, 'entry size');
        if (need.offset) localHeaderOffset = toSafeNumber(values.shift()!, 'entry offset');
      }
      return {
        name,
        method: records.readUInt16LE(at + 10),
        flags: records.readUInt16LE(at + 8),
        compressedSize,
        uncompressedSize,
        localHeaderOffset: localHeaderOffset + directory.shift,
      };
    }
    at = next;
  }
  return undefined;
}

/** The entry's bytes, uncompressed. */
export async function readZipEntryData(source: ZipSource, entry: ZipEntryInfo, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Buffer> {
  if (entry.flags & FLAG_ENCRYPTED) throw new ZipFormatError('entry is encrypted');
  if (entry.method !== METHOD_STORED && entry.method !== METHOD_DEFLATED) throw new ZipFormatError(`unsupported compression method ${entry.method}`);
  if (entry.uncompressedSize > limits.maxEntryBytes) throw new ZipFormatError(`entry over ${limits.maxEntryBytes} bytes`);
  // Deflate can grow incompressible data a little; anything much bigger than the limit is not a sane entry.
  if (entry.compressedSize > limits.maxEntryBytes + 64 * 1024) throw new ZipFormatError(`entry over ${limits.maxEntryBytes} bytes`);
  if (entry.method === METHOD_STORED && entry.compressedSize !== entry.uncompressedSize) throw new ZipFormatError('stored entry sizes differ');

  const available = source.size - entry.localHeaderOffset;
  if (available < LOCAL_SIZE) throw new ZipFormatError('bad local header');
  const guess = LOCAL_SIZE + Buffer.byteLength(entry.name) + LOCAL_EXTRA_SLACK + entry.compressedSize;
  const first = await readExactly(source, entry.localHeaderOffset, Math.min(guess, available), 'local header');
  if (first.readUInt32LE(0) !== LOCAL_SIGNATURE) throw new ZipFormatError('bad local header');
  const dataStart = LOCAL_SIZE + first.readUInt16LE(26) + first.readUInt16LE(28);
  const data =
    dataStart + entry.compressedSize <= first.length
      ? first.subarray(dataStart, dataStart + entry.compressedSize)
      : await readExactly(source, entry.localHeaderOffset + dataStart, entry.compressedSize, 'entry data');

  if (entry.method === METHOD_STORED) return data;
  // zlib is loaded only for a deflated entry: most machines have no JetBrains plugin jar to open.
  const { inflateRawSync } = await import('node:zlib');
  try {
    const inflated = inflateRawSync(data, { maxOutputLength: limits.maxEntryBytes });
    if (inflated.length !== entry.uncompressedSize) throw new ZipFormatError('entry size differs from its directory record');
    return inflated;
  } catch (error) {
    if (error instanceof ZipFormatError) throw error;
    throw new ZipFormatError('entry does not inflate');
  }
}

/** The uncompressed bytes of `name`, or undefined when the archive has no such entry. Throws ZipFormatError. */
export async function readZipEntry(source: ZipSource, name: string, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Promise<Buffer | undefined> {
  const entry = await findZipEntry(source, name, limits);
  return entry === undefined ? undefined : readZipEntryData(source, entry, limits);
}
