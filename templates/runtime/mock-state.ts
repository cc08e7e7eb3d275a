import type { StateFile } from "./mock-persistence.js";
import type { HttpResponse } from "./protocol.js";

/** The mock's clock: real time shifted by an offset that the admin route or a test sets. */
export class MockClock {
  private offsetMs = 0;

  /** Returns the mock's current time. */
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }

  /** Sets the mock's current time; the clock keeps running from there. */
  set(time: Date): void {
    this.offsetMs = time.getTime() - Date.now();
  }

  /** Moves the mock's current time forward (or back, for a negative value) by the given seconds. */
  advance(seconds: number): void {
    this.offsetMs += seconds * 1000;
  }

  /** Returns the clock to real time. */
  reset(): void {
    this.offsetMs = 0;
  }
}

/** One message the mock delivered instead of sending it, like a mail catcher's entry. */
export interface OutboxMessage {
  readonly id: number;
  /** When the mock delivered it, in ISO 8601. */
  readonly sentAt: string;
  readonly medium: "EMAIL" | "SMS";
  /** The email address or phone number, masked as the service reports it (`a***@e***`), so the listing shows no full address. */
  readonly destination: string;
  /** The operation that caused the message, such as `ForgotPassword`. */
  readonly reason: string;
  readonly subject?: string;
  readonly body: string;
  /** The confirmation code or temporary password the body carries, so tests need not parse the body. */
  readonly code?: string;
  /** Service-specific ids that tell which user a message went to, such as the user pool and the user's `sub`; never a username or address. */
  readonly details: Readonly<Record<string, string>>;
}

/** The kind of the outbox's records in a state file. */
const OUTBOX_KIND = "outbox";

/**
 * Messages the mock delivered, in order; read over `GET /_mock/outbox`. With
 * a state file they are stored there too. Only the latest `maxMessages` are
 * kept, so a long-running mock does not grow without bound.
 */
export class Outbox {
  /** The kept messages start at index `first`. Dropped ones before it are cut off in batches, so dropping one message copies nothing. */
  private messages: OutboxMessage[] = [];
  private first = 0;
  private nextId = 1;

  constructor(
    private readonly clock: MockClock,
    private readonly maxMessages: number,
    private readonly stateFile?: StateFile,
  ) {
    if (stateFile === undefined) return;
    this.messages = stateFile.records(OUTBOX_KIND).map(({ value }) => value as OutboxMessage);
    this.nextId = this.messages.reduce((max, message) => Math.max(max, message.id), 0) + 1;
    this.dropOldest();
  }

  /** Records a delivered message and returns it; the oldest message goes when the outbox is full. */
  deliver(message: Omit<OutboxMessage, "id" | "sentAt">): OutboxMessage {
    const entry = { ...message, id: this.nextId++, sentAt: this.clock.now().toISOString() };
    this.messages.push(entry);
    this.stateFile?.put(OUTBOX_KIND, String(entry.id), () => entry);
    this.dropOldest();
    return entry;
  }

  list(): readonly OutboxMessage[] {
    return this.first === 0 ? this.messages : this.messages.slice(this.first);
  }

  clear(): void {
    this.messages = [];
    this.first = 0;
    this.stateFile?.clear(OUTBOX_KIND);
  }

  private dropOldest(): void {
    while (this.messages.length - this.first > this.maxMessages) {
      this.stateFile?.delete(OUTBOX_KIND, String(this.messages[this.first]!.id));
      this.first++;
    }
    if (this.first >= Math.max(1024, this.maxMessages)) {
      this.messages = this.messages.slice(this.first);
      this.first = 0;
    }
  }
}

/** The context a behaviour module receives when the server starts. */
export interface BehaviorContext {
  readonly clock: MockClock;
  readonly outbox: Outbox;
  /** The region the mock pretends to run in, such as `us-east-1`; it appears in ids and ARNs. */
  readonly region: string;
  /** The SQLite file the state lives in, when the server runs with the `store` option. The behaviour loads its records from it and marks the ones it changes. */
  readonly stateFile?: StateFile;
}

/** Counts of seeded records by kind, such as `{ userPools: 1, users: 3 }`, for the startup log line. */
export type SeedCounts = Readonly<Record<string, number>>;

/** The stateful part of a mock: handlers over a store, plus the store's admin operations. */
export interface MockBehavior {
  /** Behaviour handlers by operation name; they receive the parsed and validated input. */
  readonly handlers: Readonly<Record<string, ((input: never, context: never) => unknown) | undefined>>;
  /** Serves a request outside the service's API, such as a JWKS document; returns undefined for a path it does not serve. */
  route?(method: string, path: string, baseUrl: string): Promise<HttpResponse | undefined>;
  /** Returns the whole store as JSON; secrets appear only hashed, and the result can be passed back to `seed`. */
  dump(): unknown;
  /** Empties the store. */
  reset(): void;
  /** Adds records to the store; throws SeedError on a malformed document. */
  seed(document: unknown): Promise<SeedCounts>;
}

/** A seed document that does not have the expected form; the message names the path of the bad value. */
export class SeedError extends Error {
  override readonly name = "SeedError";
}
