// The payment-system SIMULATOR's store: what it has received, under
// `<dataDir>/payment-system/<id>/` — `received.json` (the run, its try, its
// state) and `files/<name>` (the CSV and XLSX exactly as sent).
//
// - An id is `<run uuid>-try-<n>`: a try sent twice (its lease ran out before
//   the portal recorded the delivery) replaces the earlier copy instead of
//   showing twice, and ids can never name a path outside the folder.
// - File names are checked against a strict pattern for the same reason.
// - JSON is written to a temporary name and renamed, so a reader never sees
//   half a record. Reads go to the folder every time: the files are the truth.
// - An answer is about a run, not a try: answering marks every try of the run.
import fs from 'node:fs/promises';
import path from 'node:path';

export type ReceivedState = 'received' | 'acknowledged' | 'rejected';

export interface ReceivedFile {
  name: string;
  contentType: string;
  size: number;
}

export interface ReceivedRun {
  id: string;
  runId: string;
  runNumber: number;
  tryNumber: number;
  commissioner: { id: string; odsCode: string; name: string };
  /** `YYYY-MM-DD` */
  paymentDate: string;
  claimCount: number;
  /** Two decimals, as sent: `"2167.76"`. */
  total: string;
  /** ISO timestamps. */
  sentAt: string;
  receivedAt: string;
  files: ReceivedFile[];
  state: ReceivedState;
  answeredAt?: string;
  reason?: string;
  reference?: string;
  /** Why the portal refused the last answer sent for this try (cleared when one is recorded). */
  answerError?: string;
}

export interface IncomingFile {
  name: string;
  contentType: string;
  bytes: Uint8Array;
}

export type IncomingRun = Omit<ReceivedRun, 'id' | 'receivedAt' | 'files' | 'state'>;

const ID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-try-\d{1,3}$/;
export const FILE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function receivedId(runId: string, tryNumber: number): string {
  return `${runId.toLowerCase()}-try-${tryNumber}`;
}

export function isReceivedId(id: string): boolean {
  return ID_PATTERN.test(id);
}

function errorCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

async function writeAtomically(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
  await fs.writeFile(temporary, data, { mode: 0o600 });
  await fs.rename(temporary, file);
}

export class PaymentSystemStore {
  private constructor(
    readonly dir: string,
    private readonly now: () => Date,
  ) {}

  static async open(dir: string, options: { now?: () => Date } = {}): Promise<PaymentSystemStore> {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
    return new PaymentSystemStore(dir, options.now ?? (() => new Date()));
  }

  private record(id: string): string {
    return path.join(this.dir, id, 'received.json');
  }

  /** Stores a run's try with its files (replacing an earlier copy of the same try). */
  async add(run: IncomingRun, files: IncomingFile[]): Promise<ReceivedRun> {
    const id = receivedId(run.runId, run.tryNumber);
    for (const file of files) if (!FILE_NAME_PATTERN.test(file.name)) throw new Error(`unsafe file name: ${file.name}`);
    const folder = path.join(this.dir, id);
    await fs.rm(folder, { recursive: true, force: true });
    await fs.mkdir(path.join(folder, 'files'), { recursive: true, mode: 0o700 });
    for (const file of files) await writeAtomically(path.join(folder, 'files', file.name), file.bytes);
    // A run already answered (an earlier try acknowledged) keeps its answer.
    const answered = (await this.list()).find((other) => other.runId === run.runId && other.state !== 'received');
    const stored: ReceivedRun = {
      ...run,
      id,
      receivedAt: this.now().toISOString(),
      files: files.map((file) => ({ name: file.name, contentType: file.contentType, size: file.bytes.length })),
      state: answered?.state ?? 'received',
      ...(answered?.answeredAt ? { answeredAt: answered.answeredAt } : {}),
      ...(answered?.reason ? { reason: answered.reason } : {}),
      ...(answered?.reference ? { reference: answered.reference } : {}),
    };
    await writeAtomically(this.record(id), `${JSON.stringify(stored, null, 2)}\n`);
    return stored;
  }

  async get(id: string): Promise<ReceivedRun | undefined> {
    if (!isReceivedId(id)) return undefined;
    try {
      const run = JSON.parse(await fs.readFile(this.record(id), 'utf8')) as ReceivedRun;
      return { ...run, id };
    } catch (error) {
      if (errorCode(error) === 'ENOENT' || error instanceof SyntaxError) return undefined;
      throw error;
    }
  }

  /** Newest first (by when they arrived). */
  async list(): Promise<ReceivedRun[]> {
    let names: string[];
    try {
      names = await fs.readdir(this.dir);
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return [];
      throw error;
    }
    const runs: ReceivedRun[] = [];
    for (const name of names.filter(isReceivedId)) {
      const run = await this.get(name);
      if (run) runs.push(run);
    }
    return runs.sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || b.tryNumber - a.tryNumber);
  }

  /** A stored file's bytes and type, or undefined. */
  async file(id: string, name: string): Promise<{ bytes: Uint8Array; contentType: string } | undefined> {
    const run = await this.get(id);
    const file = run?.files.find((f) => f.name === name);
    if (!run || !file || !FILE_NAME_PATTERN.test(name)) return undefined;
    try {
      return { bytes: await fs.readFile(path.join(this.dir, id, 'files', name)), contentType: file.contentType };
    } catch (error) {
      if (errorCode(error) === 'ENOENT') return undefined;
      throw error;
    }
  }

  /** Records the portal's acceptance of an answer on every try of the run. */
  async markAnswered(runId: string, answer: { state: Exclude<ReceivedState, 'received'>; reason?: string; reference?: string }): Promise<void> {
    const answeredAt = this.now().toISOString();
    for (const run of (await this.list()).filter((r) => r.runId === runId)) {
      const { answerError: _dropped, reason: _r, reference: _ref, ...rest } = run;
      const updated: ReceivedRun = {
        ...rest,
        state: answer.state,
        answeredAt,
        ...(answer.reason ? { reason: answer.reason } : {}),
        ...(answer.reference ? { reference: answer.reference } : {}),
      };
      await writeAtomically(this.record(run.id), `${JSON.stringify(updated, null, 2)}\n`);
    }
  }

  /** Notes why the portal refused an answer for this try (shown on the page). */
  async noteAnswerError(id: string, error: string): Promise<void> {
    const run = await this.get(id);
    if (!run) return;
    await writeAtomically(this.record(id), `${JSON.stringify({ ...run, answerError: error }, null, 2)}\n`);
  }

  /** Forgets everything received; answers how many tries there were. */
  async clear(): Promise<number> {
    const runs = await this.list();
    for (const run of runs) await fs.rm(path.join(this.dir, run.id), { recursive: true, force: true });
    return runs.length;
  }
}
