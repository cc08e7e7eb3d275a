/** One constraint a value breaks. */
export interface ValidationIssue {
  /** The member path as the service prints it: lower camel case, such as `userContextData.encodedData`. */
  readonly path: string;
  readonly constraint: "required" | "type" | "length" | "pattern" | "enum" | "range" | "uniqueItems" | "union" | "depth";
  /** The bound, pattern or allowed values that the value breaks. */
  readonly limit?: number | string | readonly string[];
  /** The service's wording of the constraint, such as "Member must not be null". */
  readonly message: string;
  /** The offending value; never set for sensitive members. */
  readonly value?: unknown;
  readonly sensitive: boolean;
}

/** Structures nested deeper than this are reported instead of checked, which bounds recursion. */
export const MAX_DEPTH = 64;

/** The decimal notation a bigDecimal string must have. */
export const BIG_DECIMAL = /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/;

/**
 * Formats issues the way the service words a validation error:
 * "2 validation errors detected: Value at 'username' failed to satisfy constraint: ...; Value null at ...".
 */
export function formatValidationMessage(issues: readonly ValidationIssue[]): string {
  const count = issues.length === 1 ? "1 validation error detected" : `${issues.length} validation errors detected`;
  return `${count}: ${issues.map(describeIssue).join("; ")}`;
}

function describeIssue(issue: ValidationIssue): string {
  return `${valuePrefix(issue)} at '${issue.path}' failed to satisfy constraint: ${issue.message}`;
}

/** The value is shown only for members that are not sensitive, and only when it is a plain scalar. */
function valuePrefix(issue: ValidationIssue): string {
  if (issue.constraint === "required") return "Value null";
  if (issue.sensitive || issue.value === undefined) return "Value";
  const value = issue.value;
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") {
    return `Value '${String(value)}'`;
  }
  return "Value";
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/**
 * Builds the path of a member (a name), map entry (a key) or list item (an
 * index, printed 1-based as the service does: `attributes.1.member`).
 */
export function joinPath(path: string, segment: string | number): string {
  if (typeof segment === "number") return `${path}.${segment + 1}.member`;
  return path === "" ? segment : `${path}.${segment}`;
}

/**
 * Returns true when two items of a list are equal as JSON values: structures
 * and maps by their entries in any order (absent and undefined entries are the
 * same), timestamps by their time and blobs by their bytes.
 */
export function hasDuplicateItems(items: readonly unknown[]): boolean {
  if (items.every((item) => item === null || typeof item !== "object")) return new Set(items).size !== items.length;
  for (let i = 1; i < items.length; i++) {
    for (let j = 0; j < i; j++) if (deepEqual(items[i], items[j])) return true;
  }
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    return a instanceof Uint8Array && b instanceof Uint8Array && a.length === b.length && a.every((byte, i) => byte === b[i]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
  for (const key of keys) if (!deepEqual(left[key], right[key])) return false;
  return true;
}

/** Counts Unicode code points, as Smithy's length trait does: a surrogate pair counts one, a lone surrogate one. */
export function codePointLength(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

/** Builds an issue; the value is kept only for members that are not sensitive. */
export function constraintIssue(
  path: string,
  constraint: ValidationIssue["constraint"],
  limit: ValidationIssue["limit"],
  message: string,
  value: unknown,
  sensitive: boolean,
): ValidationIssue {
  return sensitive || value === undefined ? { path, constraint, limit, message, sensitive } : { path, constraint, limit, message, value, sensitive };
}

export function missingIssue(path: string): ValidationIssue {
  return { path, constraint: "required", message: "Member must not be null", sensitive: false };
}

export function typeIssue(path: string, expected: string, value: unknown, sensitive: boolean): ValidationIssue {
  const actual = value === null ? "null" : Array.isArray(value) ? "a list" : typeof value;
  return { path, constraint: "type", limit: expected, message: `Member must be ${expected}, got ${actual}`, sensitive };
}

export function depthIssue(path: string): ValidationIssue {
  return { path, constraint: "depth", limit: MAX_DEPTH, message: `Member must not be nested more than ${MAX_DEPTH} levels deep`, sensitive: false };
}
