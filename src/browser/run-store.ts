/**
 * The browser's run store (IndexedDB through `idb`). Every run is saved item by item as it
 * goes, so closing the tab or a crash loses nothing: an item is stored once, under
 * [runId, itemId], and writing it again replaces it (never duplicates). Works in a Worker and
 * in the page; nothing here touches the DOM.
 *
 * Stores:
 *   runs         the run record without its items, plus progress and a heartbeat
 *   items        one row per scored item, keyed [runId, id]
 *   datasets     downloaded data files, keyed by URL (the data cache)
 *   anchorPacks  imported or generated anchor packs
 *   settings     small preferences (a remembered token only when the user asks)
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { ItemResult, RunRecord } from '../core/record/schema.ts';

export type RunHeader = Omit<RunRecord, 'items'> & {
  progress: { done: number; total: number };
  /** Last time the process running it wrote anything (ms since epoch). */
  heartbeat: number;
  error?: string;
  /** Notes from loading the suite (dropped rows, anchor source). */
  notes?: string[];
  /** Files the user picked, by role ('data', 'codebook', ...): their names, to ask for them again on resume. */
  inputFiles?: Record<string, string>;
};

export interface StoredItem extends ItemResult {
  runId: string;
}

export interface DatasetEntry {
  url: string;
  bytes: ArrayBuffer;
  size: number;
  fetchedAt: string;
}

export interface AnchorPackEntry {
  id: string;
  name: string;
  importedAt: string;
  pack: unknown;
}

interface Schema extends DBSchema {
  runs: { key: string; value: RunHeader; indexes: { createdAt: string } };
  items: { key: [string, string]; value: StoredItem; indexes: { runId: string } };
  datasets: { key: string; value: DatasetEntry };
  anchorPacks: { key: string; value: AnchorPackEntry };
  settings: { key: string; value: unknown };
}

export const DB_NAME = 'pluralscope';
const DB_VERSION = 1;

/** The device ran out of storage for this site. */
export class StorageFullError extends Error {
  override name = 'StorageFullError';
  constructor() {
    super('the browser\'s storage for this site is full: the run is paused and nothing was lost. Free space (delete old runs or cached models in "Models on disk"), then resume.');
  }
}

/** An imported record's id is already stored (importing never overwrites a run). */
export class RunExistsError extends Error {
  override name = 'RunExistsError';
  constructor(readonly runId: string) {
    super(`a run with id ${JSON.stringify(runId)} is already saved here`);
  }
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED';
}

/**
 * Diagnostics: while set, every write fails as a full disk makes it fail (a QuotaExceededError),
 * so the pause-and-resume path can be exercised (the browser's own quota cannot be filled on
 * demand in a test).
 */
export const storageFaults = { full: false };

async function guard<T>(work: () => Promise<T>): Promise<T> {
  try {
    if (storageFaults.full) throw new DOMException('the quota has been exceeded (diagnostics)', 'QuotaExceededError');
    return await work();
  } catch (error) {
    if (isQuotaError(error)) throw new StorageFullError();
    throw error;
  }
}

export class RunStore {
  private constructor(private readonly db: IDBPDatabase<Schema>) {}

  static async open(name = DB_NAME): Promise<RunStore> {
    const db = await openDB<Schema>(name, DB_VERSION, {
      upgrade(database) {
        const runs = database.createObjectStore('runs', { keyPath: 'id' });
        runs.createIndex('createdAt', 'createdAt');
        const items = database.createObjectStore('items', { keyPath: ['runId', 'id'] });
        items.createIndex('runId', 'runId');
        database.createObjectStore('datasets', { keyPath: 'url' });
        database.createObjectStore('anchorPacks', { keyPath: 'id' });
        database.createObjectStore('settings');
      },
    });
    return new RunStore(db);
  }

  close(): void {
    this.db.close();
  }

  // ----- runs

  async putRun(header: RunHeader): Promise<void> {
    await guard(() => this.db.put('runs', header));
  }

  async getRun(id: string): Promise<RunHeader | undefined> {
    return this.db.get('runs', id);
  }

  /** Newest first. */
  async listRuns(): Promise<RunHeader[]> {
    const all = await this.db.getAllFromIndex('runs', 'createdAt');
    return all.reverse();
  }

  async updateRun(id: string, patch: Partial<RunHeader>): Promise<RunHeader> {
    return guard(async () => {
      const tx = this.db.transaction('runs', 'readwrite');
      const current = await tx.store.get(id);
      if (!current) throw new Error(`no run ${id}`);
      const next = { ...current, ...patch };
      await tx.store.put(next);
      await tx.done;
      return next;
    });
  }

  /** Deletes a run and all its items in one transaction. */
  async deleteRun(id: string): Promise<void> {
    const tx = this.db.transaction(['runs', 'items'], 'readwrite');
    await tx.objectStore('runs').delete(id);
    const index = tx.objectStore('items').index('runId');
    for (let cursor = await index.openKeyCursor(IDBKeyRange.only(id)); cursor; cursor = await cursor.continue()) {
      await tx.objectStore('items').delete(cursor.primaryKey);
    }
    await tx.done;
  }

  // ----- items

  /** Saves items and the run's progress together: either both land or neither. */
  async putItems(runId: string, items: ItemResult[], progress?: RunHeader['progress']): Promise<void> {
    await guard(async () => {
      const tx = this.db.transaction(['items', 'runs'], 'readwrite');
      for (const item of items) await tx.objectStore('items').put({ ...item, runId });
      if (progress) {
        const header = await tx.objectStore('runs').get(runId);
        if (header) await tx.objectStore('runs').put({ ...header, progress, heartbeat: Date.now(), updatedAt: new Date().toISOString() });
      }
      await tx.done;
    });
  }

  async getItems(runId: string): Promise<ItemResult[]> {
    const rows = await this.db.getAllFromIndex('items', 'runId', runId);
    return rows.map(({ runId: _runId, ...item }) => item);
  }

  async countItems(runId: string): Promise<number> {
    return this.db.countFromIndex('items', 'runId', runId);
  }

  async itemIds(runId: string): Promise<Set<string>> {
    const keys = await this.db.getAllKeysFromIndex('items', 'runId', runId);
    return new Set(keys.map((k) => k[1]));
  }

  /** The whole record (header fields + items), as exported and as `score` reads it. */
  async getRecord(id: string): Promise<RunRecord | undefined> {
    const header = await this.getRun(id);
    if (!header) return undefined;
    const { progress: _p, heartbeat: _h, error: _e, notes: _n, inputFiles: _f, ...record } = header;
    return { ...record, items: await this.getItems(id) };
  }

  /**
   * Imports a whole record (e.g. from a training bundle's eval_server.py) in ONE transaction:
   * the header and every item land together or not at all (an item that cannot be stored, or
   * a full disk, leaves no half-imported run). A record whose id is already stored is refused
   * (RunExistsError): an import never overwrites or mixes into another run.
   */
  async importRecord(record: RunRecord, notes: string[] = []): Promise<void> {
    const { items, ...rest } = record;
    await guard(async () => {
      const tx = this.db.transaction(['runs', 'items'], 'readwrite');
      try {
        if ((await tx.objectStore('runs').getKey(record.id)) !== undefined) throw new RunExistsError(record.id);
        await tx.objectStore('runs').add({ ...rest, progress: { done: items.length, total: record.sample.total }, heartbeat: 0, notes });
        for (const item of items) await tx.objectStore('items').put({ ...item, runId: record.id });
        await tx.done;
      } catch (error) {
        try {
          tx.abort();
        } catch {
          // Already aborted by the failed request, or finished.
        }
        await tx.done.catch(() => {});
        throw error;
      }
    });
  }

  // ----- datasets (the data cache)

  async getDataset(url: string): Promise<DatasetEntry | undefined> {
    return this.db.get('datasets', url);
  }

  async putDataset(entry: DatasetEntry): Promise<void> {
    await guard(() => this.db.put('datasets', entry));
  }

  async listDatasets(): Promise<Array<Omit<DatasetEntry, 'bytes'>>> {
    const out: Array<Omit<DatasetEntry, 'bytes'>> = [];
    for (let cursor = await this.db.transaction('datasets').store.openCursor(); cursor; cursor = await cursor.continue()) {
      const { bytes: _b, ...rest } = cursor.value;
      out.push(rest);
    }
    return out;
  }

  async deleteDataset(url: string): Promise<void> {
    await this.db.delete('datasets', url);
  }

  // ----- anchor packs and settings

  async putAnchorPack(entry: AnchorPackEntry): Promise<void> {
    await guard(() => this.db.put('anchorPacks', entry));
  }

  async listAnchorPacks(): Promise<AnchorPackEntry[]> {
    return this.db.getAll('anchorPacks');
  }

  async deleteAnchorPack(id: string): Promise<void> {
    await this.db.delete('anchorPacks', id);
  }

  async getSetting<T>(key: string): Promise<T | undefined> {
    return (await this.db.get('settings', key)) as T | undefined;
  }

  async setSetting(key: string, value: unknown): Promise<void> {
    await guard(() => this.db.put('settings', value, key));
  }

  async deleteSetting(key: string): Promise<void> {
    await this.db.delete('settings', key);
  }
}
