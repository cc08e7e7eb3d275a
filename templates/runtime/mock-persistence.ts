import { AsyncLocalStorage } from "node:async_hooks";
import type BetterSqlite3 from "better-sqlite3";

/** The layout of the state file; a file with another version is rejected rather than misread. */
const SCHEMA_VERSION = 1;

/** A record a request changed, encoded to JSON when the request ends, or deleted. */
interface PendingWrite {
  readonly kind: string;
  readonly id: string;
  /** Returns the record's JSON form; undefined deletes the record. */
  readonly encode: (() => unknown) | undefined;
  /** The kind's generation when the record was marked; a later `clear` of the kind drops the write. */
  readonly generation: number;
}

/** The records one request changed, keyed by kind and id. */
type UnitOfWork = Map<string, PendingWrite>;

/** A state file that cannot be opened or is not a mock's state file; the message names the file and the fix. */
export class StateFileError extends Error {
  override readonly name = "StateFileError";
}

/**
 * The SQLite file a mock keeps its state in when it runs with the `store`
 * option: one table of JSON records keyed by kind (such as `user`) and id.
 * The server runs each request as one unit of work, in which the behaviour
 * marks the records it changes with `put`. When the request ends, before the
 * response is sent, every marked record whose JSON differs from the stored
 * one is written in a single transaction. A crash therefore leaves each
 * request's writes either all stored or none of them.
 *
 * NOTE: concurrent requests share the in-memory records, so a request that
 * commits first also stores what a slower request had changed by then in a
 * record both touched. Each stored state is one the server held in memory.
 */
export class StateFile {
  private readonly units = new AsyncLocalStorage<UnitOfWork>();
  /** The JSON last written for each record, so a request that changed nothing writes nothing. */
  private readonly written = new Map<string, string>();
  private readonly generations = new Map<string, number>();
  private readonly upsert: BetterSqlite3.Statement<[string, string, string]>;
  private readonly deleteOne: BetterSqlite3.Statement<[string, string]>;
  private readonly deleteKind: BetterSqlite3.Statement<[string]>;
  private readonly selectKind: BetterSqlite3.Statement<[string], { id: string; data: string }>;
  private readonly writeAll: (writes: readonly (readonly [string, string, string | undefined])[]) => void;

  private constructor(
    private readonly db: BetterSqlite3.Database,
    readonly path: string,
  ) {
    this.upsert = db.prepare("INSERT INTO records (kind, id, data) VALUES (?, ?, ?) ON CONFLICT (kind, id) DO UPDATE SET data = excluded.data");
    this.deleteKind = db.prepare("DELETE FROM records WHERE kind = ?");
    this.deleteOne = db.prepare("DELETE FROM records WHERE kind = ? AND id = ?");
    this.selectKind = db.prepare("SELECT id, data FROM records WHERE kind = ? ORDER BY rowid");
    this.writeAll = db.transaction((writes: readonly (readonly [string, string, string | undefined])[]) => {
      for (const [kind, id, data] of writes) {
        if (data === undefined) this.deleteOne.run(kind, id);
        else this.upsert.run(kind, id, data);
      }
    });
  }

  /**
   * Opens or creates the state file of a service, such as
   * `AWSCognitoIdentityProviderService`. The file uses SQLite's write-ahead
   * log with `synchronous = NORMAL`: a committed request survives a crash of
   * the process, though not necessarily a power loss.
   */
  static async open(path: string, service: string): Promise<StateFile> {
    const Database = await loadDriver();
    let db: BetterSqlite3.Database;
    try {
      db = new Database(path);
      db.pragma("journal_mode = WAL");
      db.pragma("synchronous = NORMAL");
      db.pragma("busy_timeout = 5000");
    } catch (error) {
      throw new StateFileError(`cannot open the state file '${path}': ${(error as Error).message}; give a writable path for a new or existing SQLite file`);
    }

    const version = db.pragma("user_version", { simple: true }) as number;
    if (version !== 0 && version !== SCHEMA_VERSION) {
      db.close();
      throw new StateFileError(`the state file '${path}' has layout version ${version}, but this mock reads version ${SCHEMA_VERSION}; start with a new file`);
    }
    db.exec(`
      CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS records (kind TEXT NOT NULL, id TEXT NOT NULL, data TEXT NOT NULL, PRIMARY KEY (kind, id));
      PRAGMA user_version = ${SCHEMA_VERSION};
    `);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('service', ?)").run(service);
    const owner = (db.prepare("SELECT value FROM meta WHERE key = 'service'").get() as { value: string }).value;
    if (owner !== service) {
      db.close();
      throw new StateFileError(`the state file '${path}' belongs to the mock of ${owner}, not ${service}; give another file`);
    }
    return new StateFile(db, path);
  }

  /** Returns true when the file contains no records, as a new file does. */
  isEmpty(): boolean {
    return this.db.prepare("SELECT 1 FROM records LIMIT 1").get() === undefined;
  }

  /** Returns the stored records of one kind, decoded, in the order they were first written. */
  records(kind: string): { id: string; value: unknown }[] {
    return this.selectKind.all(kind).map((row) => {
      this.written.set(recordKey(kind, row.id), row.data);
      return { id: row.id, value: JSON.parse(row.data) as unknown };
    });
  }

  /**
   * Runs `work` as one unit of work and then writes every record it marked in
   * one transaction. A request's records are written even when it throws,
   * because a failed request still changes state, such as an attempt counted
   * before CodeMismatchException. Pass `commitOnError: false` for work whose
   * failure discards the state, such as the seed at start-up. A failed write
   * throws in place of the work's result.
   */
  async transaction<T>(work: () => Promise<T>, { commitOnError = true } = {}): Promise<T> {
    const unit: UnitOfWork = new Map();
    let result: T;
    try {
      result = await this.units.run(unit, work);
    } catch (error) {
      if (commitOnError) this.commit(unit);
      throw error;
    }
    this.commit(unit);
    return result;
  }

  /**
   * Marks a record as changed by the current request; `encode` runs when the
   * request ends and returns the record's JSON form. Outside a transaction the
   * record is written at once, in a transaction of its own.
   */
  put(kind: string, id: string, encode: () => unknown): void {
    this.mark({ kind, id, encode, generation: this.generations.get(kind) ?? 0 });
  }

  /** Marks a record as deleted by the current request, or deletes it at once outside a transaction. */
  delete(kind: string, id: string): void {
    this.mark({ kind, id, encode: undefined, generation: this.generations.get(kind) ?? 0 });
  }

  private mark(write: PendingWrite): void {
    const { kind, id } = write;
    const unit = this.units.getStore();
    if (unit === undefined) this.commit(new Map([[recordKey(kind, id), write]]));
    else unit.set(recordKey(kind, id), write);
  }

  /** Deletes every record of the given kinds at once, in one transaction; writes that requests still in progress marked for them are dropped. */
  clear(...kinds: string[]): void {
    this.db.transaction(() => {
      for (const kind of kinds) this.deleteKind.run(kind);
    })();
    for (const kind of kinds) this.generations.set(kind, (this.generations.get(kind) ?? 0) + 1);
    for (const key of [...this.written.keys()]) {
      if (kinds.includes(key.slice(0, key.indexOf("\u0000")))) this.written.delete(key);
    }
  }

  /** Closes the file; the write-ahead log is folded back into it. */
  close(): void {
    if (this.db.open) this.db.close();
  }

  private commit(unit: UnitOfWork): void {
    const writes: [string, string, string | undefined][] = [];
    for (const [key, write] of unit) {
      if (write.generation !== (this.generations.get(write.kind) ?? 0)) continue;
      const data = write.encode === undefined ? undefined : JSON.stringify(write.encode());
      if (this.written.get(key) !== data) writes.push([write.kind, write.id, data]);
    }
    if (writes.length === 0) return;

    this.writeAll(writes);
    for (const [kind, id, data] of writes) {
      if (data === undefined) this.written.delete(recordKey(kind, id));
      else this.written.set(recordKey(kind, id), data);
    }
  }
}

function recordKey(kind: string, id: string): string {
  return `${kind}\u0000${id}`;
}

/** Imports better-sqlite3 only when a state file is used, so a mock kept in memory needs no native module. */
async function loadDriver(): Promise<typeof BetterSqlite3> {
  try {
    return (await import("better-sqlite3")).default;
  } catch (error) {
    throw new StateFileError(
      `the store option needs the optional dependency better-sqlite3, which failed to load (${(error as Error).message}); install it with 'npm install better-sqlite3', or run the mock without a store to keep its state in memory`,
    );
  }
}
