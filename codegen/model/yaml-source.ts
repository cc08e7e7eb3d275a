/**
 * YAML files parsed with source positions, and helpers that read their nodes.
 */
import { LineCounter, isAlias, isMap, isScalar, isSeq, parseDocument, type Document, type Node, type YAMLMap } from "yaml";
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import type { SourceLocation } from "./ir.js";

/** Aliases expand at most this many times per value, which defuses "billion laughs" documents. */
const MAX_ALIAS_COUNT = 100;

/** A parsed model file. */
export interface YamlSource {
  readonly file: string;
  readonly text: string;
  readonly document: Document.Parsed;
  readonly lines: LineCounter;
}

/** One key of a YAML mapping with the nodes and position of its key. */
export interface Entry {
  readonly key: string;
  readonly value: Node | null;
  readonly location: SourceLocation;
}

/** Parses a YAML file, turning the parser's errors into SG1001 diagnostics. */
export function parseYaml(file: string, text: string, diagnostics: Diagnostic[]): YamlSource {
  const lines = new LineCounter();
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { lineCounter: lines, uniqueKeys: false, prettyErrors: false });
  } catch (error) {
    // The parser recurses per nesting level, so a hostile file nested thousands deep exhausts the stack.
    if (!(error instanceof RangeError)) throw error;
    diagnostics.push(diagnostic("SG1001", { reason: "the document is nested too deeply to parse" }, { file, line: 1, column: 1 }));
    return { file, text, document: parseDocument("", { lineCounter: lines }), lines };
  }
  for (const error of document.errors) {
    const position = lines.linePos(error.pos[0]);
    diagnostics.push(diagnostic("SG1001", { reason: firstLine(error.message) }, { file, line: position.line, column: position.col }));
  }
  return { file, text, document, lines };
}

/** Returns the location where a node starts, or the file start when the node has no range. */
export function locate(source: YamlSource, node: Node | null | undefined): SourceLocation {
  const offset = node?.range?.[0] ?? 0;
  const position = source.lines.linePos(offset);
  return { file: source.file, line: position.line, column: position.col };
}

/**
 * Returns the entries of a mapping node in order. Keys that are not plain
 * scalars and keys repeated in the same mapping are reported, and the repeat
 * is skipped.
 */
export function entriesOf(source: YamlSource, node: YAMLMap, owner: string, diagnostics: Diagnostic[]): Entry[] {
  const entries: Entry[] = [];
  const seen = new Map<string, SourceLocation>();
  for (const pair of node.items) {
    const keyNode = pair.key as Node | null;
    const location = locate(source, keyNode ?? node);
    if (!isScalar(keyNode) || (typeof keyNode.value !== "string" && typeof keyNode.value !== "number")) {
      diagnostics.push(diagnostic("SG1009", { owner: `a key in ${owner}`, expected: "a plain string", actual: "a complex key" }, location));
      continue;
    }
    const key = String(keyNode.value);
    const first = seen.get(key);
    if (first !== undefined) {
      diagnostics.push(diagnostic("SG1012", { key, owner, other: `${first.line}:${first.column}` }, location));
      continue;
    }
    seen.set(key, location);
    entries.push({ key, value: pair.value as Node | null, location });
  }
  return entries;
}

/** Returns a node's plain JavaScript value, or reports it (alias bombs, for one) and returns undefined. */
export function valueOf(source: YamlSource, node: Node | null, owner: string, diagnostics: Diagnostic[]): unknown {
  if (node === null) return null;
  try {
    return node.toJS(source.document, { maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    diagnostics.push(diagnostic("SG1007", { what: `value of ${owner}`, reason: firstLine(String((error as Error).message)) }, locate(source, node)));
    return undefined;
  }
}

/** Returns the node behind an alias, so mappings reached through `*anchor` read like inline ones. */
export function resolveAlias(source: YamlSource, node: Node | null): Node | null {
  return isAlias(node) ? ((node.resolve(source.document) as Node | undefined) ?? null) : node;
}

export { isMap, isScalar, isSeq };

function firstLine(text: string): string {
  return text.split("\n")[0]!.trim();
}
