/**
 * Loads a model folder: YAML with positions, then the checker, then the IR.
 */
import { sortDiagnostics, type Diagnostic } from "./diagnostics.js";
import { checkModel } from "./checker.js";
import type { Model } from "./ir.js";
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
  const { declarations, sources, metadata } = await readModelFolder(dir, diagnostics);
  const model = checkModel(declarations, metadata, diagnostics);
  return finish(model, diagnostics, sources);
}

/** Loads and checks model files given as text, as tests and editors have them. */
export function loadModelTexts(files: readonly { file: string; text: string }[]): LoadResult {
  const diagnostics: Diagnostic[] = [];
  const { declarations, sources, metadata } = readModelTexts(files, diagnostics);
  const model = checkModel(declarations, metadata, diagnostics);
  return finish(model, diagnostics, sources);
}

function finish(model: Model | undefined, diagnostics: Diagnostic[], sources: ReadonlyMap<string, string>): LoadResult {
  const hasError = diagnostics.some((d) => d.severity === "error");
  return { model: hasError ? undefined : model, diagnostics: sortDiagnostics(diagnostics), sources };
}
