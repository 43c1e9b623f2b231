// A reader for Microsoft's Compound File Binary format (CFB, "OLE2"): the
// container of legacy .doc/.xls files, and of password-protected .docx/.xlsx
// (EncryptionInfo + EncryptedPackage streams). The evidence scanner needs the
// stream names (WordDocument, Workbook, Macros, _VBA_PROJECT, …) and a few
// streams' bytes; nothing else of the format. Written from the MS-CFB
// specification; runs in Deno and Node (no Deno.* or node:* APIs).
//
// Every pointer in the file is untrusted: chains are bounded and checked for
// loops, so a damaged or hostile file raises CompoundFileError instead of
// hanging or reading out of bounds.

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const HEADER_SIZE = 512;
const DIRECTORY_ENTRY_SIZE = 128;
const END_OF_CHAIN = 0xfffffffe;
const FREE_SECTOR = 0xffffffff;
const NO_STREAM = 0xffffffff;
const HEADER_DIFAT_SLOTS = 109;

export class CompoundFileError extends Error {}

export interface CompoundFileEntry {
  /** The entry's own name, e.g. `WordDocument`. */
  name: string;
  /** Names from the root down, joined with `/`, e.g. `Macros/VBA/dir`. */
  path: string;
  kind: 'storage' | 'stream';
  /** Stream size in bytes (0 for storages). */
  size: number;
}

export interface CompoundFile {
  /** Every storage and stream below the root, parents before children. */
  entries: CompoundFileEntry[];
  /** The bytes of a stream entry. */
  readStream(entry: CompoundFileEntry): Uint8Array;
}

export function isCompoundFile(bytes: Uint8Array): boolean {
  return bytes.length >= SIGNATURE.length && SIGNATURE.every((byte, index) => bytes[index] === byte);
}

interface RawEntry {
  name: string;
  type: number;
  left: number;
  right: number;
  child: number;
  start: number;
  size: number;
}

/** Parses the container's directory. Throws CompoundFileError when the structure is damaged. */
export function readCompoundFile(bytes: Uint8Array): CompoundFile {
  const file = asCompoundFileError(() => parse(bytes));
  return { entries: file.entries, readStream: (entry) => asCompoundFileError(() => file.readStream(entry)) };
}

/** Runs `read`, reporting a read past the end of a truncated file (a RangeError from DataView) as damage. */
function asCompoundFileError<T>(read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof RangeError) throw new CompoundFileError('the file is truncated');
    throw error;
  }
}

function parse(bytes: Uint8Array): CompoundFile {
  if (!isCompoundFile(bytes) || bytes.length < HEADER_SIZE) throw new CompoundFileError('not a compound file');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (offset: number) => view.getUint16(offset, true);
  const u32 = (offset: number) => view.getUint32(offset, true);

  const sectorShift = u16(0x1e);
  const miniSectorShift = u16(0x20);
  if (sectorShift !== 9 && sectorShift !== 12) throw new CompoundFileError(`unsupported sector size 2^${sectorShift}`);
  if (miniSectorShift !== 6) throw new CompoundFileError(`unsupported mini sector size 2^${miniSectorShift}`);
  const sectorSize = 1 << sectorShift;
  const miniSectorSize = 1 << miniSectorShift;
  // Sector n starts at (n + 1) * sectorSize: the header fills sector "-1".
  const sectorCount = Math.max(0, Math.ceil((bytes.length - sectorSize) / sectorSize));
  const fatSectorCount = u32(0x2c);
  const firstDirectorySector = u32(0x30);
  const miniStreamCutoff = u32(0x38);
  const firstMiniFatSector = u32(0x3c);
  const firstDifatSector = u32(0x44);
  const difatSectorCount = u32(0x48);

  const sectorOffset = (sector: number) => {
    if (sector >= sectorCount) throw new CompoundFileError(`sector ${sector} lies beyond the end of the file`);
    return (sector + 1) * sectorSize;
  };
  const sectorBytes = (sector: number) => {
    const start = sectorOffset(sector);
    return bytes.subarray(start, Math.min(start + sectorSize, bytes.length));
  };

  // The FAT's own sectors: 109 listed in the header, the rest in a DIFAT chain.
  const fatSectors: number[] = [];
  for (let slot = 0; slot < HEADER_DIFAT_SLOTS && fatSectors.length < fatSectorCount; slot++) {
    fatSectors.push(u32(0x4c + slot * 4));
  }
  const slotsPerDifatSector = sectorSize / 4 - 1;
  let difatSector = firstDifatSector;
  const seenDifat = new Set<number>();
  for (let index = 0; index < difatSectorCount && fatSectors.length < fatSectorCount; index++) {
    if (difatSector === END_OF_CHAIN || difatSector === FREE_SECTOR || seenDifat.has(difatSector)) {
      throw new CompoundFileError('broken DIFAT chain');
    }
    seenDifat.add(difatSector);
    const start = sectorOffset(difatSector);
    for (let slot = 0; slot < slotsPerDifatSector && fatSectors.length < fatSectorCount; slot++) {
      fatSectors.push(view.getUint32(start + slot * 4, true));
    }
    difatSector = view.getUint32(start + slotsPerDifatSector * 4, true);
  }
  if (fatSectors.length < fatSectorCount) throw new CompoundFileError('the FAT is incomplete');

  const fat = new Uint32Array(fatSectors.length * (sectorSize / 4));
  fatSectors.forEach((sector, index) => {
    const start = sectorOffset(sector);
    for (let slot = 0; slot < sectorSize / 4; slot++) {
      fat[index * (sectorSize / 4) + slot] = view.getUint32(start + slot * 4, true);
    }
  });

  /** The sectors of a chain, in order; bounded by the table so a loop cannot run forever. */
  const chain = (table: Uint32Array, first: number): number[] => {
    const sectors: number[] = [];
    const seen = new Set<number>();
    for (let sector = first; sector !== END_OF_CHAIN; sector = table[sector] ?? FREE_SECTOR) {
      if (sector >= table.length || seen.has(sector)) throw new CompoundFileError('broken sector chain');
      seen.add(sector);
      sectors.push(sector);
    }
    return sectors;
  };

  const readRegularChain = (first: number, size: number): Uint8Array => {
    if (first === END_OF_CHAIN || size === 0) return new Uint8Array(0);
    const sectors = chain(fat, first);
    const out = new Uint8Array(Math.min(size, sectors.length * sectorSize));
    let written = 0;
    for (const sector of sectors) {
      if (written >= out.length) break;
      const piece = sectorBytes(sector).subarray(0, out.length - written);
      out.set(piece, written);
      written += piece.length;
    }
    return out.subarray(0, written);
  };

  // The directory: a chain of 128-byte entries; entry 0 is the root.
  const directory = readRegularChain(firstDirectorySector, Number.MAX_SAFE_INTEGER);
  const rawEntries: RawEntry[] = [];
  for (let offset = 0; offset + DIRECTORY_ENTRY_SIZE <= directory.length; offset += DIRECTORY_ENTRY_SIZE) {
    const entryView = new DataView(directory.buffer, directory.byteOffset + offset, DIRECTORY_ENTRY_SIZE);
    const nameLength = Math.min(entryView.getUint16(0x40, true), 64);
    let name = '';
    for (let index = 0; index + 1 < nameLength - 1; index += 2) name += String.fromCharCode(entryView.getUint16(index, true));
    rawEntries.push({
      name,
      type: entryView.getUint8(0x42),
      left: entryView.getUint32(0x44, true),
      right: entryView.getUint32(0x48, true),
      child: entryView.getUint32(0x4c, true),
      start: entryView.getUint32(0x74, true),
      // Version 3 files may leave garbage in the high half; no stream here is near 4 GiB.
      size: sectorShift === 9 ? entryView.getUint32(0x78, true) : entryView.getUint32(0x78, true) + entryView.getUint32(0x7c, true) * 2 ** 32,
    });
  }
  const root = rawEntries[0];
  if (!root || root.type !== 5) throw new CompoundFileError('no root entry');

  // Walk the tree: each storage's children are a binary tree of siblings. An
  // explicit stack rather than recursion, so a deeply nested file cannot
  // exhaust the call stack.
  const entries: CompoundFileEntry[] = [];
  const startOf = new Map<CompoundFileEntry, RawEntry>();
  const visited = new Set<number>([0]);
  const pending: Array<{ id: number; parentPath: string }> = [{ id: root.child, parentPath: '' }];
  while (pending.length > 0) {
    const { id, parentPath } = pending.pop()!;
    if (id === NO_STREAM) continue;
    const raw = rawEntries[id];
    if (!raw || visited.has(id)) throw new CompoundFileError('broken directory tree');
    visited.add(id);
    pending.push({ id: raw.right, parentPath }, { id: raw.left, parentPath });
    if (raw.type !== 1 && raw.type !== 2) continue;
    const path = parentPath ? `${parentPath}/${raw.name}` : raw.name;
    const entry: CompoundFileEntry = { name: raw.name, path, kind: raw.type === 1 ? 'storage' : 'stream', size: raw.type === 2 ? raw.size : 0 };
    entries.push(entry);
    startOf.set(entry, raw);
    if (raw.type === 1) pending.push({ id: raw.child, parentPath: path });
  }

  // Small streams live in the mini stream (held by the root entry), addressed by the mini FAT.
  let miniStream: Uint8Array | undefined;
  let miniFat: Uint32Array | undefined;
  const readMiniChain = (first: number, size: number): Uint8Array => {
    miniStream ??= readRegularChain(root.start, root.size);
    if (!miniFat) {
      const table = readRegularChain(firstMiniFatSector, Number.MAX_SAFE_INTEGER);
      miniFat = new Uint32Array(Math.floor(table.length / 4));
      const tableView = new DataView(table.buffer, table.byteOffset, table.byteLength);
      for (let index = 0; index < miniFat.length; index++) miniFat[index] = tableView.getUint32(index * 4, true);
    }
    const sectors = chain(miniFat, first);
    const out = new Uint8Array(Math.min(size, sectors.length * miniSectorSize));
    let written = 0;
    for (const sector of sectors) {
      if (written >= out.length) break;
      const start = sector * miniSectorSize;
      if (start >= miniStream.length) throw new CompoundFileError('mini sector beyond the mini stream');
      const piece = miniStream.subarray(start, Math.min(start + miniSectorSize, miniStream.length, start + out.length - written));
      out.set(piece, written);
      written += piece.length;
    }
    return out.subarray(0, written);
  };

  return {
    entries,
    readStream(entry) {
      const raw = startOf.get(entry);
      if (!raw || entry.kind !== 'stream') throw new CompoundFileError(`${entry.path} is not a stream of this file`);
      return raw.size < miniStreamCutoff ? readMiniChain(raw.start, raw.size) : readRegularChain(raw.start, raw.size);
    },
  };
}
