/**
 * Reads model files into shape declarations with source positions.
 *
 * A declaration still names its references as written (`UsernameType`,
 * `smithy.api#String`); the checker resolves them and builds the IR.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type { Node, YAMLMap } from "yaml";
import { diagnostic, didYouMean, type Diagnostic } from "./diagnostics.js";
import { SIMPLE_TYPES, type NodeValue, type ShapeType, type SourceLocation } from "./ir.js";
import { PRELUDE_TRAITS } from "./traits.js";
import { entriesOf, isMap, isScalar, isSeq, locate, parseYaml, resolveAlias, valueOf, type YamlSource } from "./yaml-source.js";

/** A reference to a shape as written in the model, with where it was written. */
export interface Reference {
  readonly name: string;
  readonly location: SourceLocation;
}

/** A trait value as written, with where it was written. */
export interface TraitEntry {
  readonly value: unknown;
  readonly location: SourceLocation;
}

export interface MemberDeclaration {
  readonly name: string;
  /** Undefined for enum members, which target the prelude's Unit. */
  readonly target?: Reference;
  readonly traits: ReadonlyMap<string, TraitEntry>;
  readonly location: SourceLocation;
}

/** A shape as a model file declares it. */
export interface ShapeDeclaration {
  readonly namespace: string;
  readonly name: string;
  readonly type: ShapeType;
  readonly location: SourceLocation;
  readonly traits: ReadonlyMap<string, TraitEntry>;
  readonly members: readonly MemberDeclaration[];
  readonly input?: Reference;
  readonly output?: Reference;
  readonly errors: readonly Reference[];
  readonly operations: readonly Reference[];
  readonly version?: string;
  /** Mixins whose members and traits this shape takes. */
  readonly mixins: readonly Reference[];
  /** A service's or resource's child resources. */
  readonly resources: readonly Reference[];
  /** A resource's identifiers and properties: name to shape. */
  readonly identifiers: readonly (readonly [string, Reference])[];
  readonly properties: readonly (readonly [string, Reference])[];
  /** A resource's lifecycle operations (create, put, read, update, delete, list) and collectionOperations. */
  readonly lifecycle: ReadonlyMap<string, Reference>;
  readonly collectionOperations: readonly Reference[];
}

/** A resource's lifecycle keys, each naming one operation. */
export const LIFECYCLE_KEYS = ["create", "put", "read", "update", "delete", "list"] as const;

export const SHAPE_TYPES: readonly ShapeType[] = [...SIMPLE_TYPES, "structure", "union", "enum", "intEnum", "list", "map", "operation", "resource", "service"];

/** The keys each shape type takes besides `type`, `traits` and prelude trait names. */
export const SHAPE_KEYS = new Map<ShapeType, readonly string[]>([
  ...SIMPLE_TYPES.map((t) => [t, ["mixins"]] as const),
  ["structure", ["members", "mixins"]],
  ["union", ["members", "mixins"]],
  ["enum", ["members", "mixins"]],
  ["intEnum", ["members", "mixins"]],
  ["list", ["member", "mixins"]],
  ["map", ["key", "value", "mixins"]],
  ["operation", ["input", "output", "errors", "mixins"]],
  ["resource", ["identifiers", "properties", ...LIFECYCLE_KEYS, "operations", "collectionOperations", "resources", "mixins"]],
  ["service", ["version", "operations", "resources", "errors", "mixins"]],
]);

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const NAMESPACE = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/;

/** A model folder read from disk: its declarations and the text of each file, for code frames. */
export interface LoadedFiles {
  readonly declarations: ShapeDeclaration[];
  readonly sources: Map<string, string>;
  readonly metadata: Record<string, NodeValue>;
  /** Ids of shapes that are declared but failed to load; references to them are not reported again. */
  readonly broken: Set<string>;
}

/** Reads every `*.yaml` and `*.yml` file of a model folder, in name order. */
export async function readModelFolder(dir: string, diagnostics: Diagnostic[]): Promise<LoadedFiles> {
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => /\.ya?ml$/.test(n)).sort();
  } catch (error) {
    diagnostics.push(diagnostic("SG1000", { reason: `cannot list '${dir}': ${(error as Error).message}` }));
    return { declarations: [], sources: new Map(), metadata: {}, broken: new Set() };
  }
  if (names.length === 0) diagnostics.push(diagnostic("SG1010", { dir }));

  const files: { file: string; text: string }[] = [];
  for (const name of names) {
    const file = path.join(dir, name);
    const text = decodeUtf8(file, await readFile(file), diagnostics);
    if (text !== undefined) files.push({ file, text });
  }
  return readModelTexts(files, diagnostics);
}

/** Decodes a file as UTF-8, reporting the first invalid byte instead of replacing it silently. */
function decodeUtf8(file: string, bytes: Buffer, diagnostics: Diagnostic[]): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    // The first replacement character marks the first invalid byte, unless the file also contains a real U+FFFD before it.
    const lenient = bytes.toString("utf8");
    const offset = Buffer.byteLength(lenient.slice(0, lenient.indexOf("\uFFFD")));
    diagnostics.push(diagnostic("SG1020", { offset }, { file, line: 1, column: 1 }));
    return undefined;
  }
}

/** Reads model files given as text; `file` is the name diagnostics print. */
export function readModelTexts(files: readonly { file: string; text: string }[], diagnostics: Diagnostic[]): LoadedFiles {
  const declarations: ShapeDeclaration[] = [];
  const sources = new Map<string, string>();
  const metadata: Record<string, NodeValue> = {};
  const broken = new Set<string>();
  for (const { file, text } of files) {
    sources.set(file, text);
    const source = parseYaml(file, text, diagnostics);
    declarations.push(...readDeclarations(source, metadata, broken, diagnostics));
  }
  return { declarations, sources, metadata, broken };
}

function readDeclarations(source: YamlSource, metadata: Record<string, NodeValue>, broken: Set<string>, diagnostics: Diagnostic[]): ShapeDeclaration[] {
  const root = source.document.contents as Node | null;
  if (!isMap(root)) {
    diagnostics.push(diagnostic("SG1009", { owner: "a model file", expected: "a mapping with 'namespace' and 'shapes'", actual: root === null ? "an empty document" : "another kind of value" }, locate(source, root)));
    return [];
  }

  let namespace: string | undefined;
  let hasNamespaceKey = false;
  let shapes: YAMLMap | undefined;
  for (const entry of entriesOf(source, root, "the file", diagnostics)) {
    if (entry.key === "namespace") {
      hasNamespaceKey = true;
      namespace = readNamespace(source, entry.value, diagnostics);
    } else if (entry.key === "shapes") {
      const value = resolveAlias(source, entry.value);
      if (isMap(value)) shapes = value;
      else diagnostics.push(diagnostic("SG1009", { owner: "'shapes'", expected: "a mapping of shape names to shapes", actual: kindOf(value) }, entry.location));
    } else if (entry.key === "metadata") {
      readMetadata(source, entry, metadata, diagnostics);
    } else {
      const hint = didYouMean(entry.key, ["namespace", "shapes", "metadata"]) + " A file has 'namespace', 'shapes' and optionally 'metadata'.";
      diagnostics.push(diagnostic("SG1004", { key: entry.key, owner: "the file", hint }, entry.location));
    }
  }
  if (namespace === undefined) {
    if (!hasNamespaceKey) diagnostics.push(diagnostic("SG1005", { owner: "the file", key: "namespace" }, locate(source, root)));
    return [];
  }
  if (shapes === undefined) return [];

  const declarations: ShapeDeclaration[] = [];
  for (const entry of entriesOf(source, shapes, "'shapes'", diagnostics)) {
    if (!NAME.test(entry.key)) {
      diagnostics.push(diagnostic("SG1013", { value: entry.key, what: "a shape", reason: "a name starts with a letter or '_' and has only letters, digits and '_'" }, entry.location));
      continue;
    }
    const declaration = readShape(source, namespace, entry.key, resolveAlias(source, entry.value), entry.location, diagnostics);
    if (declaration) declarations.push(declaration);
    else broken.add(`${namespace}#${entry.key}`);
  }
  return declarations;
}

/** Merges a file's metadata as Smithy does: lists under the same key are concatenated, other values must agree. */
function readMetadata(source: YamlSource, entry: { value: Node | null; location: SourceLocation }, metadata: Record<string, NodeValue>, diagnostics: Diagnostic[]): void {
  const value = resolveAlias(source, entry.value);
  if (!isMap(value)) {
    diagnostics.push(diagnostic("SG1009", { owner: "'metadata'", expected: "a mapping", actual: kindOf(value) }, entry.location));
    return;
  }
  for (const item of entriesOf(source, value, "'metadata'", diagnostics)) {
    const data = valueOf(source, item.value, `metadata '${item.key}'`, diagnostics) as NodeValue | undefined;
    if (data === undefined) continue;
    const existing = metadata[item.key];
    if (existing === undefined) metadata[item.key] = data;
    else if (Array.isArray(existing) && Array.isArray(data)) metadata[item.key] = [...existing, ...data];
    else if (JSON.stringify(existing) !== JSON.stringify(data)) diagnostics.push(diagnostic("SG1014", { key: item.key }, item.location));
  }
}

function readNamespace(source: YamlSource, node: Node | null, diagnostics: Diagnostic[]): string | undefined {
  if (!isScalar(node) || typeof node.value !== "string") {
    diagnostics.push(diagnostic("SG1009", { owner: "'namespace'", expected: "a string such as 'com.example.weather'", actual: kindOf(node) }, locate(source, node)));
    return undefined;
  }
  if (!NAMESPACE.test(node.value)) {
    diagnostics.push(diagnostic("SG1013", { value: node.value, what: "a namespace", reason: "a namespace is dot-separated names of letters, digits and '_', such as 'com.example.weather'" }, locate(source, node)));
    return undefined;
  }
  return node.value;
}

function readShape(
  source: YamlSource,
  namespace: string,
  name: string,
  node: Node | null,
  location: SourceLocation,
  diagnostics: Diagnostic[],
): ShapeDeclaration | undefined {
  const owner = `shape '${name}'`;
  if (!isMap(node)) {
    diagnostics.push(diagnostic("SG1009", { owner, expected: "a mapping with a 'type'", actual: kindOf(node) }, locate(source, node) ?? location));
    return undefined;
  }
  const entries = entriesOf(source, node, owner, diagnostics);
  const typeEntry = entries.find((e) => e.key === "type");
  if (typeEntry === undefined) {
    diagnostics.push(diagnostic("SG1005", { owner, key: "type" }, location));
    return undefined;
  }
  const type = scalarString(typeEntry.value);
  if (type === undefined || !SHAPE_TYPES.includes(type as ShapeType)) {
    diagnostics.push(diagnostic("SG1006", { value: type ?? kindOf(typeEntry.value), id: name, expected: SHAPE_TYPES.join(", ") }, locate(source, typeEntry.value)));
    return undefined;
  }

  const shape = {
    namespace,
    name,
    type: type as ShapeType,
    location,
    traits: new Map<string, TraitEntry>(),
    members: [] as MemberDeclaration[],
    errors: [] as Reference[],
    operations: [] as Reference[],
    input: undefined as Reference | undefined,
    output: undefined as Reference | undefined,
    version: undefined as string | undefined,
    mixins: [] as Reference[],
    resources: [] as Reference[],
    collectionOperations: [] as Reference[],
    identifiers: [] as (readonly [string, Reference])[],
    properties: [] as (readonly [string, Reference])[],
    lifecycle: new Map<string, Reference>(),
  };
  const structural = SHAPE_KEYS.get(shape.type) ?? [];
  for (const entry of entries) {
    if (entry.key === "type") continue;
    // Structural keys come first: an operation's `input` names a shape, while the `input` trait marks a structure.
    if (!structural.includes(entry.key)) {
      if (readTraitKey(source, entry, owner, shape.traits, diagnostics)) continue;
      const hint = didYouMean(entry.key, [...structural, ...Object.keys(PRELUDE_TRAITS), "traits"]);
      diagnostics.push(diagnostic("SG1004", { key: entry.key, owner: `${type} ${owner}`, hint }, entry.location));
      continue;
    }
    const value = resolveAlias(source, entry.value);
    switch (entry.key) {
      case "members":
        shape.members.push(...readMembers(source, value, shape.type, owner, diagnostics));
        break;
      case "member":
      case "key":
      case "value": {
        const member = readMember(source, entry.key, value, shape.type, owner, entry.location, diagnostics);
        if (member) shape.members.push(member);
        break;
      }
      case "input":
      case "output":
        shape[entry.key] = readReference(source, value, `the ${entry.key} of ${owner}`, diagnostics);
        break;
      case "errors":
      case "operations":
      case "mixins":
      case "resources":
      case "collectionOperations":
        shape[entry.key].push(...readReferenceList(source, value, `the ${entry.key} of ${owner}`, diagnostics));
        break;
      case "identifiers":
      case "properties":
        shape[entry.key].push(...readNamedReferences(source, value, `the ${entry.key} of ${owner}`, diagnostics));
        break;
      case "create":
      case "put":
      case "read":
      case "update":
      case "delete":
      case "list": {
        const reference = readReference(source, value, `the ${entry.key} operation of ${owner}`, diagnostics);
        if (reference) shape.lifecycle.set(entry.key, reference);
        break;
      }
      case "version":
        shape.version = scalarString(value) ?? String(valueOf(source, value, "version", diagnostics));
        break;
    }
  }
  requireKeys(shape, entries, owner, location, diagnostics);
  return shape;
}

function requireKeys(shape: { type: ShapeType }, entries: readonly { key: string }[], owner: string, location: SourceLocation, diagnostics: Diagnostic[]): void {
  const needed = shape.type === "list" ? ["member"] : shape.type === "map" ? ["key", "value"] : shape.type === "service" ? ["version"] : [];
  for (const key of needed) {
    if (!entries.some((e) => e.key === key)) diagnostics.push(diagnostic("SG1005", { owner, key }, location));
  }
}

/** Reads `traits:` or a prelude trait key into `traits`; returns false when the key is neither. */
function readTraitKey(source: YamlSource, entry: { key: string; value: Node | null; location: SourceLocation }, owner: string, traits: Map<string, TraitEntry>, diagnostics: Diagnostic[]): boolean {
  if (entry.key in PRELUDE_TRAITS) {
    traits.set(entry.key, { value: valueOf(source, entry.value, `trait '${entry.key}'`, diagnostics), location: entry.location });
    return true;
  }
  if (entry.key !== "traits") return false;

  const value = resolveAlias(source, entry.value);
  if (!isMap(value)) {
    diagnostics.push(diagnostic("SG1009", { owner: `'traits' of ${owner}`, expected: "a mapping of absolute trait ids to values", actual: kindOf(value) }, entry.location));
    return true;
  }
  for (const trait of entriesOf(source, value, `the traits of ${owner}`, diagnostics)) {
    if (!trait.key.includes("#")) {
      diagnostics.push(diagnostic("SG2005", { trait: trait.key, owner }, trait.location));
      continue;
    }
    traits.set(trait.key, { value: valueOf(source, trait.value, `trait '${trait.key}'`, diagnostics) as NodeValue, location: trait.location });
  }
  return true;
}

function readMembers(source: YamlSource, node: Node | null, container: ShapeType, owner: string, diagnostics: Diagnostic[]): MemberDeclaration[] {
  if (!isMap(node)) {
    diagnostics.push(diagnostic("SG1009", { owner: `the members of ${owner}`, expected: "a mapping of member names to members", actual: kindOf(node) }, locate(source, node)));
    return [];
  }
  const members: MemberDeclaration[] = [];
  for (const entry of entriesOf(source, node, `the members of ${owner}`, diagnostics)) {
    if (!NAME.test(entry.key)) {
      diagnostics.push(diagnostic("SG1013", { value: entry.key, what: `a member of ${owner}`, reason: "a name starts with a letter or '_' and has only letters, digits and '_'" }, entry.location));
      continue;
    }
    const member = readMember(source, entry.key, resolveAlias(source, entry.value), container, owner, entry.location, diagnostics);
    if (member) members.push(member);
  }
  return members;
}

/**
 * Reads one member: a mapping with `target` and traits, or a bare string that
 * names the target. Enum members take no target.
 */
function readMember(
  source: YamlSource,
  name: string,
  node: Node | null,
  container: ShapeType,
  owner: string,
  location: SourceLocation,
  diagnostics: Diagnostic[],
): MemberDeclaration | undefined {
  const memberOwner = `member '${name}' of ${owner}`;
  const isEnum = container === "enum" || container === "intEnum";
  const traits = new Map<string, TraitEntry>();

  if (isScalar(node) && typeof node.value === "string" && !isEnum) {
    return { name, target: { name: node.value, location: locate(source, node) }, traits, location };
  }
  if (isEnum && (node === null || (isScalar(node) && node.value === null))) {
    return { name, traits, location };
  }
  if (!isMap(node)) {
    const expected = isEnum ? "a mapping of traits such as 'enumValue'" : "a shape name or a mapping with 'target'";
    diagnostics.push(diagnostic("SG1009", { owner: memberOwner, expected, actual: kindOf(node) }, locate(source, node)));
    return undefined;
  }

  let target: Reference | undefined;
  for (const entry of entriesOf(source, node, memberOwner, diagnostics)) {
    if (readTraitKey(source, entry, memberOwner, traits, diagnostics)) continue;
    if (entry.key === "target" && !isEnum) {
      target = readReference(source, resolveAlias(source, entry.value), `the target of ${memberOwner}`, diagnostics);
      continue;
    }
    const allowed = isEnum ? Object.keys(PRELUDE_TRAITS) : ["target", ...Object.keys(PRELUDE_TRAITS)];
    diagnostics.push(diagnostic("SG1004", { key: entry.key, owner: memberOwner, hint: didYouMean(entry.key, [...allowed, "traits"]) }, entry.location));
  }
  if (target === undefined && !isEnum) {
    diagnostics.push(diagnostic("SG1005", { owner: memberOwner, key: "target" }, location));
    return undefined;
  }
  return { name, target, traits, location };
}

function readReference(source: YamlSource, node: Node | null, owner: string, diagnostics: Diagnostic[]): Reference | undefined {
  const name = scalarString(node);
  if (name === undefined || name === "") {
    diagnostics.push(diagnostic("SG1009", { owner, expected: "a shape name", actual: kindOf(node) }, locate(source, node)));
    return undefined;
  }
  return { name, location: locate(source, node) };
}

function readReferenceList(source: YamlSource, node: Node | null, owner: string, diagnostics: Diagnostic[]): Reference[] {
  if (!isSeq(node)) {
    diagnostics.push(diagnostic("SG1009", { owner, expected: "a list of shape names", actual: kindOf(node) }, locate(source, node)));
    return [];
  }
  const references: Reference[] = [];
  for (const item of node.items as (Node | null)[]) {
    const reference = readReference(source, resolveAlias(source, item), owner, diagnostics);
    if (reference) references.push(reference);
  }
  return references;
}

function readNamedReferences(source: YamlSource, node: Node | null, owner: string, diagnostics: Diagnostic[]): (readonly [string, Reference])[] {
  if (!isMap(node)) {
    diagnostics.push(diagnostic("SG1009", { owner, expected: "a mapping of names to shape names", actual: kindOf(node) }, locate(source, node)));
    return [];
  }
  const named: (readonly [string, Reference])[] = [];
  for (const entry of entriesOf(source, node, owner, diagnostics)) {
    const reference = readReference(source, resolveAlias(source, entry.value), `'${entry.key}' of ${owner}`, diagnostics);
    if (reference) named.push([entry.key, reference]);
  }
  return named;
}

function scalarString(node: Node | null): string | undefined {
  return isScalar(node) && typeof node.value === "string" ? node.value : undefined;
}

function kindOf(node: Node | null | undefined): string {
  if (node === null || node === undefined) return "nothing";
  if (isMap(node)) return "a mapping";
  if (isSeq(node)) return "a list";
  if (isScalar(node)) {
    if (node.value === null) return "null";
    return typeof node.value === "string" ? `the string '${node.value}'` : `the ${typeof node.value} ${String(node.value)}`;
  }
  return "another kind of value";
}
