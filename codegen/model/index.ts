/**
 * Loads a model folder: YAML with positions, then the checker, then the IR.
 */
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { checkModel } from "./checker.js";
import type { Model, NodeValue } from "./ir.js";
import { readModelFolder, readModelTexts } from "./loader.js";

export interface LoadResult {
  /** Present only when no error was found. */
  readonly model?: Model;
  /** Every problem found, sorted by file and position. */
  readonly diagnostics: readonly Diagnostic[];
  /** The text of each file read, for code frames. */
  readonly sources: ReadonlyMap<string, string>;
}

/** Loads and checks every model file of a folder. */
export async function loadModel(dir: string): Promise<LoadResult> {
  const diagnostics: Diagnostic[] = [];
  const { declarations, sources, metadata, broken } = await readModelFolder(dir, diagnostics);
  const model = checkModel(declarations, metadata, diagnostics, broken);
  return finish(model, diagnostics, sources, metadata);
}

/** Loads and checks model files given as text, as tests and editors have them. */
export function loadModelTexts(files: readonly { file: string; text: string }[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const { declarations, sources, metadata, broken } = readModelTexts(files, diagnostics);
  const model = checkModel(declarations, metadata, diagnostics, broken);
  return finish(model, diagnostics, sources, metadata);
}

function finish(model: Model | undefined, diagnostics: Diagnostic[], sources: ReadonlyMap<string, string>, metadata: Readonly<Record<string, NodeValue>>): LoadResult {
  const hasError = diagnostics.some((d) => d.severity === "error");
  const suppressed = suppressedCodes(metadata);
  const kept = diagnostics.filter((d) => d.severity === "error" || !suppressed.has(d.code));
  return { model: hasError ? undefined : model, diagnostics: sortDiagnostics(kept), sources };
}

/**
 * Reads warning codes suppressed by the model, in Smithy's own form:
 * `metadata: { suppressions: [{ id: SG2006, namespace: "*", reason: ... }] }`.
 * Errors cannot be suppressed, and the namespace field is not checked: a listed id is suppressed everywhere.
 */
function suppressedCodes(metadata: Readonly<Record<string, NodeValue>>): Set<string> {
  const list = metadata.suppressions;
  if (!Array.isArray(list)) return new Set();
  return new Set(
    list.flatMap((entry) => (typeof entry === "object" && entry !== null && !Array.isArray(entry) && typeof (entry as { id?: unknown }).id === "string" ? [(entry as { id: string }).id] : [])),
  );
}
