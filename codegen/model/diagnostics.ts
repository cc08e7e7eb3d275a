/**
 * The diagnostic catalogue and its console format.
 *
 * Every problem shapegen reports has a code listed here. Codes are stable:
 * a retired code stays in the catalogue, marked retired, and is never reused.
 * SG1xxx are problems of files and shapes, SG2xxx problems of traits.
 */
import type { SourceLocation } from "./ir.js";

export type Severity = "error" | "warning";

interface DiagnosticDefinition {
  readonly severity: Severity;
  /** Message template: `{name}` is replaced by the argument of that name. */
  readonly message: string;
}

export const DIAGNOSTICS = {
  SG1000: { severity: "error", message: "cannot read the model: {reason}" },
  SG1001: { severity: "error", message: "invalid YAML: {reason}" },
  SG1002: { severity: "error", message: "{owner} targets unknown shape '{target}'.{hint}" },
  SG1003: { severity: "error", message: "shape '{id}' is defined more than once; the other definition is at {other}" },
  SG1004: { severity: "error", message: "unknown key '{key}' in {owner}.{hint}" },
  SG1005: { severity: "error", message: "{owner} is missing the required key '{key}'" },
  SG1006: { severity: "error", message: "unknown shape type '{value}' for shape '{id}'; expected one of {expected}" },
  SG1007: { severity: "error", message: "invalid {what}: {reason}" },
  SG1008: { severity: "error", message: "{owner} must target {expected}, but '{target}' is {actual}" },
  SG1009: { severity: "error", message: "{owner} must be {expected}, got {actual}" },
  SG1010: { severity: "error", message: "no model files (*.yaml, *.yml) found in '{dir}'" },
  SG1011: { severity: "error", message: "the model has {count} services; a model folder must define exactly one to generate" },
  SG1012: { severity: "error", message: "duplicate key '{key}' in {owner}; the first is at line {other}" },
  SG1013: { severity: "error", message: "invalid name '{value}' for {what}: {reason}" },
  SG1014: { severity: "error", message: "metadata '{key}' has different values in two files; only lists are merged, so give it one value" },
  SG1015: { severity: "error", message: "members '{first}' and '{second}' of shape '{shape}' differ only in case, so they collide in member paths and generated code; rename one" },
  SG1016: { severity: "error", message: "shape '{shape}' contains itself through required members only ({path}), so no value of it can exist; make one member optional" },
  SG1017: { severity: "error", message: "the service has no protocol trait; add aws.protocols#awsJson1_1 or aws.protocols#awsJson1_0 under its traits" },
  SG1018: { severity: "error", message: "shape '{shape}' uses itself as a mixin, directly or through other mixins" },
  SG1019: { severity: "error", message: "'{name}' cannot name a {what}: {reason}; rename it" },
  SG1020: { severity: "error", message: "the file is not valid UTF-8 (first invalid byte at offset {offset}); save it as UTF-8" },
  SG1021: { severity: "error", message: "shape '{name}' would shadow the global '{name}' that generated TypeScript uses; rename the shape to generate code for this model" },
  SG2001: { severity: "error", message: "invalid value for trait '{trait}' on {owner}: {reason}" },
  SG2002: { severity: "error", message: "trait '{trait}' cannot be applied to {owner}: it applies to {appliesTo}" },
  SG2003: { severity: "error", message: "pattern '{pattern}' on {owner} is not a valid ECMA-262 regular expression in Unicode mode: {reason}" },
  SG2004: { severity: "error", message: "trait '{trait}' on {owner} has min {min} above max {max}" },
  SG2007: { severity: "error", message: "the default {value} of {owner} is invalid: {reason}" },
  SG2008: { severity: "error", message: "enum '{shape}' has the value {value} twice, on members '{first}' and '{second}'" },
  SG2009: {
    severity: "warning",
    message: "pattern '{pattern}' on {owner} has nested quantifiers (star height above 1), so some inputs may take exponential time to match; validators check length before the pattern, which bounds the time only when the shape has a length max",
  },
  SG2006: { severity: "warning", message: "pattern '{pattern}' on {owner} is not plain ECMA-262: {note}" },
  SG2005: { severity: "error", message: "trait '{trait}' on {owner}: a trait of another namespace must be written with its absolute id, such as 'aws.api#service'" },
} as const satisfies Record<string, DiagnosticDefinition>;

export type DiagnosticCode = keyof typeof DIAGNOSTICS;

/** One problem found in a model. */
export interface Diagnostic {
  readonly code: DiagnosticCode;
  readonly severity: Severity;
  readonly message: string;
  readonly location?: SourceLocation;
}

/** Builds a diagnostic from its catalogue entry, filling in the template's arguments. */
export function diagnostic(
  code: DiagnosticCode,
  args: Readonly<Record<string, string | number>>,
  location?: SourceLocation,
): Diagnostic {
  const definition: DiagnosticDefinition = DIAGNOSTICS[code];
  const message = definition.message.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = args[name];
    if (value === undefined) throw new Error(`diagnostic ${code} is missing the argument '${name}'`);
    return String(value);
  });
  return { code, severity: definition.severity, message, location };
}

/** Orders diagnostics by file, line and column, so output reads top to bottom. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  return [...diagnostics].sort((a, b) => {
    const fileOrder = (a.location?.file ?? "").localeCompare(b.location?.file ?? "");
    if (fileOrder !== 0) return fileOrder;
    return (a.location?.line ?? 0) - (b.location?.line ?? 0) || (a.location?.column ?? 0) - (b.location?.column ?? 0);
  });
}

/** Formats one diagnostic as `file:line:col - error CODE: message`, with a code frame when the source is given. */
export function formatDiagnostic(d: Diagnostic, sources?: ReadonlyMap<string, string>): string {
  const where = d.location ? `${d.location.file}:${d.location.line}:${d.location.column} - ` : "";
  const head = `${where}${d.severity} ${d.code}: ${d.message}`;
  const source = d.location && sources?.get(d.location.file);
  if (!d.location || source === undefined) return head;
  return `${head}\n${codeFrame(source, d.location.line, d.location.column)}`;
}

function codeFrame(source: string, line: number, column: number): string {
  const lines = source.split(/\r?\n/);
  const first = Math.max(1, line - 1);
  const last = Math.min(lines.length, line + 1);
  const width = String(last).length;
  const frame: string[] = [];
  for (let n = first; n <= last; n++) {
    frame.push(`${n === line ? ">" : " "} ${String(n).padStart(width)} | ${lines[n - 1]}`);
    if (n === line) frame.push(`  ${" ".repeat(width)} | ${" ".repeat(Math.max(0, column - 1))}^`);
  }
  return frame.join("\n");
}

/** Returns the candidate closest to `name` by edit distance, when it is close enough to be a likely typo. */
export function closestName(name: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(name.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return bestDistance <= Math.max(2, Math.floor(name.length / 4)) ? best : undefined;
}

/** Formats the " Did you mean 'x'?" suffix, or nothing when no candidate is close. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const match = closestName(name, candidates);
  return match === undefined ? "" : ` Did you mean '${match}'?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}
