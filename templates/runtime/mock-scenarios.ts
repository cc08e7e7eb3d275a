import type { JsonValue } from "./protocol.js";

/**
 * A canned response for requests whose input matches: an output, a modeled
 * error, or either of them after a delay. Inputs and outputs are in wire
 * form, the JSON the protocol carries.
 */
export interface Scenario {
  /** A name for logs and messages, such as "throttled user". */
  readonly name: string;
  readonly operation: string;
  /** Members the request must carry with these values; nested objects match partially, lists and scalars exactly. An empty object matches every request. */
  readonly match: Readonly<Record<string, JsonValue>>;
  /** The body of a successful response. */
  readonly output?: Readonly<Record<string, JsonValue>>;
  /** A modeled error to respond with instead of an output. */
  readonly error?: { readonly name: string; readonly message: string };
  /** Milliseconds to wait before answering. */
  readonly delayMs?: number;
}

/** Returns the first scenario of the operation that matches the request body, or undefined. */
export function findScenario(scenarios: readonly Scenario[], operation: string, body: unknown): Scenario | undefined {
  return scenarios.find((scenario) => scenario.operation === operation && matches(scenario.match, body));
}

function matches(expected: JsonValue, actual: unknown): boolean {
  if (Array.isArray(expected)) {
    return Array.isArray(actual) && actual.length === expected.length && expected.every((item, i) => matches(item, actual[i]));
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null || Array.isArray(actual)) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => Object.hasOwn(record, key) && matches(value, record[key]));
  }
  return expected === actual;
}

/** Waits for the scenario's delay, if it has one. */
export function delay(ms: number | undefined): Promise<void> {
  return ms === undefined || ms <= 0 ? Promise.resolve() : new Promise((resolve) => setTimeout(resolve, ms));
}
