// Where the service-log outbox keeps its entries: IndexedDB in the browser (it survives a
// closed app and a full localStorage), memory in tests and where IndexedDB is missing.
import type { NewServiceLog } from '../api/serviceLogs';
import type { Problem } from '../api/problem';

/** One logged service on this phone, from the tap until the server has it (and a day after). */
export interface LogEntry {
  /** Local id. */
  id: string;
  /** The operator who logged it: only their session sends it. */
  owner: string;
  stationId: string;
  /** Exactly what is sent; `occurred_at` is fixed at the tap. */
  body: NewServiceLog & { occurred_at: string; quantity: number };
  createdAt: number;
  /** The batch it went out in, fixed once formed so a resend is the same request. */
  batch?: { key: string; index: number };
  /** Epoch ms when the server's 201 arrived. */
  sentAt?: number;
  serverId?: string;
  /** Refused by the server (its fault is ours): kept until the operator discards it. */
  failed?: Problem;
  /** Taken back: dropped while unsent, voided on the server once sent. */
  undo?: { reason: string; at: number };
  /** Epoch ms when the server confirmed the void. */
  voidedAt?: number;
  /** The server would not void it (too old, not ours): shown, not tried again. */
  voidFailed?: Problem;
}

export interface Change {
  put?: LogEntry[];
  remove?: string[];
}

export interface LogStore {
  all(): Promise<LogEntry[]>;
  /** Reads, changes and writes in one transaction, so two tabs never overwrite each other. */
  update(fn: (entries: LogEntry[]) => Change): Promise<void>;
}

export function memoryLogStore(owner: string, shared: Map<string, LogEntry> = new Map()): LogStore & { data: Map<string, LogEntry> } {
  const mine = () => [...shared.values()].filter((e) => e.owner === owner).map((e) => structuredClone(e));
  return {
    data: shared,
    all: async () => mine(),
    async update(fn) {
      const c = fn(mine());
      for (const e of c.put ?? []) shared.set(e.id, structuredClone(e));
      for (const id of c.remove ?? []) shared.delete(id);
    },
  };
}

const DB_NAME = 'warmnew-service-logs';
const STORE = 'entries';

function openDb(factory: IDBFactory): Promise<IDBDatabase> {
  return new Promise((ok, fail) => {
    const req = factory.open(DB_NAME, 1);
    req.onupgradeneeded = () => {
      const s = req.result.createObjectStore(STORE, { keyPath: 'id' });
      s.createIndex('owner', 'owner');
    };
    req.onsuccess = () => ok(req.result);
    req.onerror = () => fail(req.error);
    req.onblocked = () => fail(new Error('indexeddb blocked'));
  });
}

export function idbLogStore(owner: string, factory: IDBFactory = indexedDB): LogStore {
  let db: Promise<IDBDatabase> | null = null;
  const conn = () => (db ??= openDb(factory).catch((e) => ((db = null), Promise.reject(e))));

  const run = async (mode: IDBTransactionMode, body: (s: IDBObjectStore, done: (v: LogEntry[]) => void) => void): Promise<LogEntry[]> => {
    const d = await conn();
    return new Promise((ok, fail) => {
      const tx = d.transaction(STORE, mode);
      let out: LogEntry[] = [];
      tx.oncomplete = () => ok(out);
      tx.onerror = () => fail(tx.error);
      tx.onabort = () => fail(tx.error ?? new Error('transaction aborted'));
      body(tx.objectStore(STORE), (v) => (out = v));
    });
  };

  const readMine = (s: IDBObjectStore, then: (v: LogEntry[]) => void) => {
    const req = s.index('owner').getAll(owner);
    req.onsuccess = () => then(req.result as LogEntry[]);
  };

  return {
    all: () => run('readonly', (s, done) => readMine(s, done)),
    async update(fn) {
      await run('readwrite', (s) =>
        // The writes are issued in the read's callback: the same transaction, nothing between.
        readMine(s, (entries) => {
          const c = fn(entries);
          for (const e of c.put ?? []) s.put(e);
          for (const id of c.remove ?? []) s.delete(id);
        }),
      );
    },
  };
}

/** IndexedDB where the browser has it and lets us open it; else memory (lost on reload). */
export async function browserLogStore(owner: string): Promise<LogStore> {
  try {
    if (typeof indexedDB === 'undefined') throw new Error('no indexeddb');
    const s = idbLogStore(owner);
    await s.all();
    return s;
  } catch {
    return memoryLogStore(owner);
  }
}
