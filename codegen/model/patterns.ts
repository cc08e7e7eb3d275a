/**
 * Translation of a model's `pattern` into a JavaScript regular expression.
 *
 * Smithy specifies ECMA-262 patterns, but official AWS models also carry
 * Java-isms: a leading inline flag group such as `(?s)`, and identity escapes
 * such as `\/` that are invalid with the `u` flag. Such a pattern is
 * translated, and the checker warns, so every model that the service accepts
 * still generates.
 */

/** A pattern ready for `new RegExp(source, flags)`, or the reason it cannot be compiled. */
export type CompiledPattern =
  | { readonly ok: true; readonly source: string; readonly flags: string; readonly note?: string }
  | { readonly ok: false; readonly reason: string };

/** A Java inline flag group at the start, after an optional `^`: `(?s)abc` or `^(?s)`. */
const INLINE_FLAGS = /^(\^?)\(\?([imsx]+)\)/;

/** Compiles a pattern with the `u` flag, translating a leading Java inline flag group. */
export function compilePattern(pattern: string): CompiledPattern {
  let source = pattern;
  let flags = "u";
  const notes: string[] = [];

  const inline = INLINE_FLAGS.exec(source);
  if (inline) {
    const [group, anchor, letters] = [inline[0], inline[1]!, inline[2]!];
    if (letters.includes("x")) return { ok: false, reason: "the inline flag (?x) has no ECMA-262 equivalent" };
    source = anchor + source.slice(group.length);
    flags += [...new Set(letters)].sort().join("");
    notes.push(`the Java inline flag group '(?${letters})' is applied as the '${letters}' flag`);
  }

  const unicodeError = syntaxError(source, flags);
  if (unicodeError === undefined) return { ok: true, source, flags, note: notes.join("; ") || undefined };

  // Without `u`, \p{L} means the letter p, so a pattern that needs `u` for its classes must not fall back.
  const legacyFlags = flags.replace("u", "");
  if (!/\\[pP]\{/.test(source) && syntaxError(source, legacyFlags) === undefined) {
    notes.push(`it is invalid in Unicode mode (${unicodeError}), so it is compiled without the 'u' flag`);
    return { ok: true, source, flags: legacyFlags, note: notes.join("; ") };
  }
  return { ok: false, reason: unicodeError };
}

function syntaxError(source: string, flags: string): string | undefined {
  try {
    new RegExp(source, flags);
    return undefined;
  } catch (error) {
    // V8 words it "Invalid regular expression: /<pattern>/<flags>: <reason>"; the pattern is already in the diagnostic.
    return (error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, "");
  }
}
