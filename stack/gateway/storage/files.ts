// Where object bytes live: `<dataDir>/storage/<bucket>/<object key>`, written only
// through staged changes that follow the database transaction they belong to:
//
//   bytes → temp file (outside the bucket tree, same file system)
//   → inside the caller's transaction: row written, then `changes.place(temp, key)`
//     (an existing file is first moved aside, not deleted)
//   → commit → `changes.commit()` deletes what was moved aside
//   or rollback / failed commit → `changes.rollback()` puts everything back.
//
// So a failed request leaves neither a row nor bytes, and a successful one never
// leaves the row and the file disagreeing once both are done.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { errors } from './errors.ts';
import { unsafePathReason } from './keys.ts';

export class FileStore {
  /** `<dataDir>/storage`: one directory per bucket. */
  readonly root: string;
  /** `<dataDir>/storage-tmp`: uploads in flight and files moved aside; never served. */
  readonly tempDir: string;

  constructor(dataDir: string) {
    this.root = path.join(dataDir, 'storage');
    this.tempDir = path.join(dataDir, 'storage-tmp');
  }

  async init(): Promise<void> {
    await fs.mkdir(this.root, { recursive: true });
    // Whatever is left here is from a process that died mid-request: never referenced by a row.
    await fs.rm(this.tempDir, { recursive: true, force: true });
    await fs.mkdir(this.tempDir, { recursive: true });
  }

  bucketDir(bucket: string): string {
    if (bucket === '' || bucket === '.' || bucket === '..' || /[/\\\0]/.test(bucket)) throw errors.invalidBucketName();
    return path.join(this.root, bucket);
  }

  /** The file of `bucket`/`key`; throws InvalidKey for anything that could leave the bucket directory. */
  objectPath(bucket: string, key: string): string {
    const reason = unsafePathReason(key);
    if (reason) throw errors.invalidKey(key, reason);
    const dir = this.bucketDir(bucket);
    const file = path.resolve(dir, key);
    if (!file.startsWith(dir + path.sep)) throw errors.invalidKey(key, 'outside the bucket');
    return file;
  }

  /** Like objectPath, but undefined for rows whose names could never have been written as files. */
  safeObjectPath(bucket: string, key: string): string | undefined {
    try {
      return this.objectPath(bucket, key);
    } catch {
      return undefined;
    }
  }

  newTempPath(): string {
    return path.join(this.tempDir, randomUUID());
  }

  changes(): FileChanges {
    return new FileChanges(this);
  }

  /** Removes empty directories from `dir` up to (not including) its bucket directory. */
  async pruneEmptyDirs(dir: string): Promise<void> {
    let current = dir;
    while (current.startsWith(this.root + path.sep) && path.dirname(current) !== this.root) {
      try {
        await fs.rmdir(current);
      } catch {
        return;
      }
      current = path.dirname(current);
    }
  }
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException)?.code ?? '');
}

/** File moves made on behalf of one database transaction, undoable until commit. */
export class FileChanges {
  private readonly undo: Array<() => Promise<void>> = [];
  private readonly discard: string[] = [];
  private readonly touchedDirs = new Set<string>();

  constructor(private readonly store: FileStore) {}

  /** Move the current file at `target` aside (kept until commit). True if there was one. */
  private async moveAside(target: string, key?: string): Promise<boolean> {
    let stats;
    try {
      stats = await fs.lstat(target);
    } catch (error) {
      if (isCode(error, 'ENOENT', 'ENOTDIR')) return false;
      throw error;
    }
    // A directory here holds other objects' bytes: never move it.
    if (!stats.isFile()) {
      if (key === undefined) return false;
      throw errors.invalidKey(key, 'a folder of objects has this name');
    }
    const aside = this.store.newTempPath();
    await fs.rename(target, aside);
    this.undo.push(() => fs.rename(aside, target));
    this.discard.push(aside);
    return true;
  }

  /** Put the finished temp file `source` at `target` (replacing any file there). */
  async place(source: string, target: string, key: string): Promise<void> {
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      if (isCode(error, 'ENOTDIR', 'EEXIST')) throw errors.invalidKey(key, 'a parent folder of this key is an object');
      throw error;
    }
    this.touchedDirs.add(path.dirname(target));
    await this.moveAside(target, key);
    await fs.rename(source, target);
    this.undo.push(async () => {
      await fs.rm(target, { force: true });
    });
  }

  /** Remove the file at `target` (restored on rollback). */
  async remove(target: string): Promise<void> {
    if (await this.moveAside(target)) this.touchedDirs.add(path.dirname(target));
  }

  /** Move the file at `source` to `target` (replacing any file there). */
  async move(source: string, target: string, key: string): Promise<void> {
    try {
      await fs.access(source);
    } catch {
      throw errors.bytesMissing();
    }
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
    } catch (error) {
      if (isCode(error, 'ENOTDIR', 'EEXIST')) throw errors.invalidKey(key, 'a parent folder of this key is an object');
      throw error;
    }
    this.touchedDirs.add(path.dirname(target));
    this.touchedDirs.add(path.dirname(source));
    await this.moveAside(target, key);
    await fs.rename(source, target);
    this.undo.push(() => fs.rename(target, source));
  }

  /** The transaction committed: drop what was moved aside, tidy empty folders. */
  async commit(): Promise<void> {
    await Promise.all(this.discard.map((file) => fs.rm(file, { force: true }).catch(() => {})));
    await this.prune();
  }

  /** The transaction failed: undo every move, newest first. */
  async rollback(): Promise<void> {
    for (const step of this.undo.reverse()) {
      await step().catch((error) => console.error('[storage] could not undo a file change:', error));
    }
    await this.prune();
  }

  private async prune(): Promise<void> {
    for (const dir of this.touchedDirs) await this.store.pruneEmptyDirs(dir);
  }
}
