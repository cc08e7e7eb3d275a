/** A JSON value as the wire carries it; a RawJsonNumber is number text written as is. */
export type JsonValue = null | boolean | number | string | RawJsonNumber | JsonValue[] | { [key: string]: JsonValue };

/** Number text that toJsonText writes unchanged, for bigInteger and bigDecimal values that a double cannot hold. */
export class RawJsonNumber {
  constructor(readonly text: string) {}
}

/** A JSON number that parseJsonLossless kept as text because a double would change it. */
export class LosslessNumber {
  constructor(readonly text: string) {}
}

/** An HTTP request or response in the form the serializers build and read. */
export interface HttpMessage {
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface HttpRequest extends HttpMessage {
  readonly method: "POST";
  readonly path: "/";
  /** Prepended to the endpoint's host, from the operation's endpoint trait, such as `foo.`. */
  readonly hostPrefix?: string;
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
  if (value instanceof LosslessNumber) value = Number(value.text);
  if (typeof value !== "number" || !Number.isInteger(value)) throw new SerializationError(path, `expected an integer, got ${jsonType(value)}`);
  return value;
}

/** Reads a float or double: a JSON number, or "NaN", "Infinity" and "-Infinity" as strings. */
export function expectFloat(value: unknown, path: string): number {
  if (typeof value === "number") return value;
  if (value instanceof LosslessNumber) return Number(value.text);
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
  if (value instanceof LosslessNumber) value = Number(value.text);
  if (typeof value !== "number" || !Number.isFinite(value)) throw new SerializationError(path, `expected epoch seconds as a number, got ${jsonType(value)}`);
  return new Date(Math.round(value * 1000));
}

/** Writes a timestamp as epoch seconds with millisecond fractions. */
export function writeEpochSeconds(value: Date): number {
  return value.getTime() / 1000;
}

/** Writes a timestamp as an RFC 3339 date-time in UTC, with fractions only when the milliseconds are not zero. */
export function writeDateTime(value: Date): string {
  const text = value.toISOString();
  return text.endsWith(".000Z") ? `${text.slice(0, -5)}Z` : text;
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

/** Reads a bigInteger: a JSON integer, kept exact when parseJsonLossless read the body. */
export function expectBigInteger(value: unknown, path: string): bigint {
  if (value instanceof LosslessNumber && /^-?\d+$/.test(value.text)) return BigInt(value.text);
  if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
  throw new SerializationError(path, `expected an integer, got ${jsonType(value)}`);
}

/** Reads a bigDecimal as its decimal text, kept exact when parseJsonLossless read the body. */
export function expectBigDecimal(value: unknown, path: string): string {
  if (value instanceof LosslessNumber) return value.text;
  if (typeof value === "number" && Number.isFinite(value)) return String(value);
  throw new SerializationError(path, `expected a number, got ${jsonType(value)}`);
}

export function writeBigInteger(value: bigint): RawJsonNumber {
  return new RawJsonNumber(value.toString());
}

const DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** Writes a bigDecimal given as decimal text; rejects text that is not a JSON number. */
export function writeBigDecimal(value: string): RawJsonNumber {
  if (!DECIMAL.test(value)) throw new SerializationError("", `bigDecimal value '${value.slice(0, 64)}' is not a decimal number such as '12.50' or '-1e-7'`);
  return new RawJsonNumber(value);
}

/** Marks raw number text inside JSON.stringify's output; U+0000 cannot occur unescaped in a JSON string. */
const RAW_MARK = "\u0000raw:";
const RAW_MARKED = /"\\u0000raw:([^"]*)"/g;

/** Serializes a JSON value like JSON.stringify, writing RawJsonNumber values as bare number text. */
export function toJsonText(value: JsonValue): string {
  const text = JSON.stringify(value, (_key, item: unknown) => (item instanceof RawJsonNumber ? RAW_MARK + item.text : item));
  return text.replace(RAW_MARKED, (_, digits: string) => digits);
}

/**
 * Parses a JSON body like JSON.parse, but keeps each number whose text a
 * double would change (more than 15 significant digits, `1.0`, ...) as a
 * LosslessNumber, so bigInteger and bigDecimal members lose no digit. An
 * empty body reads as an empty object.
 */
export function parseJsonLossless(text: string): unknown {
  if (text.trim() === "") return {};
  let marked = "";
  let last = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 34; i++) if (text.charCodeAt(i) === 92 /* \\ */) i++;
    } else if (c === 45 /* - */ || (c >= 48 && c <= 57)) {
      let end = i + 1;
      while (end < text.length && /[0-9eE.+-]/.test(text[end]!)) end++;
      const number = text.slice(i, end);
      if (String(Number(number)) !== number) {
        marked += `${text.slice(last, i)}"\\u0000raw:${number}"`;
        last = end;
      }
      i = end - 1;
    }
  }
  marked += text.slice(last);
  try {
    return JSON.parse(marked, (_key, item: unknown) => (typeof item === "string" && item.startsWith(RAW_MARK) ? new LosslessNumber(item.slice(RAW_MARK.length)) : item));
  } catch {
    throw new SerializationError("", "the response body is not valid JSON");
  }
}

/** Returns a random version 4 UUID for an idempotency token member that the caller left unset. */
export function idempotencyToken(): string {
  return globalThis.crypto.randomUUID();
}

/** Checks a hostLabel member before it becomes part of a host name. */
export function hostLabel(value: string | undefined, member: string): string {
  if (value === undefined || !/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/.test(value)) {
    throw new SerializationError(member, `host label '${String(value).slice(0, 64)}' must be letters, digits and hyphens, such as 'bar'`);
  }
  return value;
}

/** Returns true for a Content-Type of the protocol, ignoring parameters such as `; charset=utf-8`. */
export function isContentType(header: string | undefined, expected: string): boolean {
  return header !== undefined && header.split(";")[0]!.trim().toLowerCase() === expected;
}
