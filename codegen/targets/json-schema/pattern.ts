/**
 * Turns a compiled pattern (source and flags) into the single source string
 * that JSON Schema's `pattern` takes. JSON Schema has no flags: validators
 * such as ajv compile `pattern` with `u` alone, so every other flag is
 * rewritten into the source:
 *
 * - `s`: each `.` outside a character class becomes `[\s\S]`;
 * - `m`: `^` and `$` outside a class become lookarounds for a line terminator;
 * - `i`: each ASCII letter becomes both of its cases (`a` -> `[aA]`, and in a
 *   class `a-f` -> `a-fA-F`).
 *
 * A pattern that the model compiles without `u` keeps its source; `u`-mode
 * validators then read it in Unicode mode.
 */

/** The flags this rewrite handles besides `u`. */
const REWRITTEN = new Set(["s", "m", "i"]);

/** Returns the pattern source for JSON Schema, with `s`, `m` and `i` expressed in the source. */
export function flaglessPattern(source: string, flags: string): { source: string; note?: string } {
  const extra = [...flags].filter((flag) => flag !== "u");
  const unsupported = extra.filter((flag) => !REWRITTEN.has(flag));
  if (unsupported.length > 0) throw new Error(`pattern /${source}/${flags} uses the flag '${unsupported.join("")}', which JSON Schema cannot express`);
  if (extra.length === 0) return { source };

  const rewritten = rewrite(source, new Set(extra));
  const note = `the flags '${extra.join("")}' are written into the pattern${extra.includes("i") ? "; case folding covers ASCII letters only" : ""}`;
  return { source: rewritten, note };
}

function rewrite(source: string, flags: ReadonlySet<string>): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i]!;
    if (char === "\\") {
      const escape = escapeAt(source, i);
      out += escape;
      i += escape.length - 1;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      out += char;
      if (flags.has("i")) out += classCaseVariant(source, i);
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      if (source[i + 1] === "^") out += source[++i];
      continue;
    }
    out += outsideClass(char, flags);
  }
  return out;
}

function outsideClass(char: string, flags: ReadonlySet<string>): string {
  if (char === "." && flags.has("s")) return "[\\s\\S]";
  if (char === "^" && flags.has("m")) return "(?<![^\\n\\r\\u2028\\u2029])";
  if (char === "$" && flags.has("m")) return "(?![^\\n\\r\\u2028\\u2029])";
  if (flags.has("i") && /[A-Za-z]/.test(char)) return `[${char.toLowerCase()}${char.toUpperCase()}]`;
  return char;
}

/**
 * Returns what to add after the class element at `index` for the `i` flag: a
 * letter's other case, or, at the end of a range of letters (`a-f`), the same
 * range in the other case.
 */
function classCaseVariant(source: string, index: number): string {
  const char = source[index]!;
  if (!/[A-Za-z]/.test(char)) return "";
  const isRangeEnd = source[index - 1] === "-" && /[A-Za-z]/.test(source[index - 2] ?? "") && source[index - 3] !== "\\";
  if (isRangeEnd) {
    const start = source[index - 2]!;
    return `${swapCase(start)}-${swapCase(char)}`;
  }
  const isRangeStart = source[index + 1] === "-" && /[A-Za-z]/.test(source[index + 2] ?? "");
  return isRangeStart ? "" : swapCase(char);
}

function swapCase(char: string): string {
  return char === char.toLowerCase() ? char.toUpperCase() : char.toLowerCase();
}

/** Returns the whole escape sequence at `index`: `\p{L}`, `\u{1F600}`, `\u0041`, `\x41`, `\cA` or a backslash and one character. */
function escapeAt(source: string, index: number): string {
  const rest = source.slice(index);
  const match = /^\\(?:[pPu]\{[^}]*\}|u[0-9A-Fa-f]{4}|x[0-9A-Fa-f]{2}|c[A-Za-z]|[\s\S])/.exec(rest);
  return match ? match[0] : "\\";
}
