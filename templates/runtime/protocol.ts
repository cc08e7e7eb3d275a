/** A JSON value as the wire carries it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** An HTTP request or response in the form the serializers build and read. */
export interface HttpMessage {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpRequest extends HttpMessage {
  readonly method: "POST";
  readonly path: "/";
}

export interface HttpResponse extends HttpMessage {
  readonly status: number;
}

/** A body that does not have the shape the model gives it: the wrong JSON type, a bad timestamp or bad base64. */
export class SerializationError extends Error {
  override readonly name = "SerializationError";

  constructor(
    /** The member path, such as `UserContextData.EncodedData`. */
    readonly path: string,
    message: string,
  ) {
    super(path === "" ? message : `${message} at '${path}'`);
  }
}

/** Returns where a member sits, for SerializationError paths. */
export function memberPath(path: string, member: string): string {
  return path === "" ? member : `${path}.${member}`;
}

/** Returns a short description of a JSON value's type for messages. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}

export function expectObject(value: unknown, path: string): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new SerializationError(path, `expected a JSON object, got ${jsonType(value)}`);
  }
  return value as Record<string, unknown>;
}

export function expectArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new SerializationError(path, `expected a JSON array, got ${jsonType(value)}`);
  return value;
}

export function expectString(value: unknown, path: string): string {
  if (typeof value !== "string") throw new SerializationError(path, `expected a string, got ${jsonType(value)}`);
  return value;
}

export function expectBoolean(value: unknown, path: string): boolean {
  if (typeof value !== "boolean") throw new SerializationError(path, `expected a boolean, got ${jsonType(value)}`);
  return value;
}

export function expectInteger(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value)) throw new SerializationError(path, `expected an integer, got ${jsonType(value)}`);
  return value;
}

/** Reads a float or double: a JSON number, or "NaN", "Infinity" and "-Infinity" as strings. */
export function expectFloat(value: unknown, path: string): number {
  if (typeof value === "number") return value;
  if (value === "NaN") return NaN;
  if (value === "Infinity") return Infinity;
  if (value === "-Infinity") return -Infinity;
  throw new SerializationError(path, `expected a number, got ${jsonType(value)}`);
}

/** Writes a float or double: non-finite values become the strings the protocol uses. */
export function writeFloat(value: number): number | string {
  if (Number.isNaN(value)) return "NaN";
  if (value === Infinity) return "Infinity";
  if (value === -Infinity) return "-Infinity";
  return value;
}

/** Reads a timestamp written as epoch seconds, fractions allowed. */
export function expectEpochSeconds(value: unknown, path: string): Date {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new SerializationError(path, `expected epoch seconds as a number, got ${jsonType(value)}`);
  return new Date(Math.round(value * 1000));
}

/** Writes a timestamp as epoch seconds with millisecond fractions. */
export function writeEpochSeconds(value: Date): number {
  return value.getTime() / 1000;
}

/** Reads a timestamp written as an RFC 3339 date-time or an HTTP date string. */
export function expectDateString(value: unknown, path: string): Date {
  const text = expectString(value, path);
  const date = new Date(text);
  if (Number.isNaN(date.getTime())) throw new SerializationError(path, `expected a date string, got '${text.slice(0, 64)}'`);
  return date;
}

/** Reads a base64 string into bytes. */
export function expectBase64(value: unknown, path: string): Uint8Array {
  const text = expectString(value, path);
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 === 1) throw new SerializationError(path, "expected base64 text");
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Writes bytes as base64. */
export function writeBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]!);
  return btoa(binary);
}

/** Sets a map entry so that a key such as `__proto__` stays an ordinary key and never changes the object's prototype. */
export function setEntry<T>(map: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * Returns the error name of an error response: from the X-Amzn-Errortype
 * header, else the body's `code`, else its `__type`. The text before the
 * first `:` is kept, then the text after the first `#`, so
 * `aws.foo#FooError:http://...` names FooError.
 */
export function errorNameOf(headers: Readonly<Record<string, string>>, body: unknown): string | undefined {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  const raw = headers["x-amzn-errortype"] ?? stringOrUndefined(record.code) ?? stringOrUndefined(record.__type);
  if (raw === undefined) return undefined;
  const beforeColon = raw.split(":")[0]!;
  const hash = beforeColon.indexOf("#");
  return (hash === -1 ? beforeColon : beforeColon.slice(hash + 1)).trim();
}

/** Returns the message of an error body, which services spell `message` or `Message`. */
export function errorMessageOf(body: unknown): string | undefined {
  const record = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return stringOrUndefined(record.message) ?? stringOrUndefined(record.Message);
}

function stringOrUndefined(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** Rejects a null item, which only sparse lists may hold. */
export function nullInDenseCollection(path: string): never {
  throw new SerializationError(path, "null is not allowed in a list without the sparse trait");
}
