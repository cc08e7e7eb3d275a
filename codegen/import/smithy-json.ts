/**
 * Reads Smithy's JSON AST and writes it as shapegen YAML model files.
 */
import { Document, isMap, type Scalar } from "yaml";
import type { NodeValue, ShapeId } from "../model/ir.js";
import type { AstMember, AstShape, SmithyAst } from "../model/smithy-ast.js";
import { isPlainObject, traitsFromAst } from "../model/traits.js";
import { kebabCase } from "../targets/common/naming.js";

/** A problem with the file being imported, named by its place in the file. */
export class ImportError extends Error {
  override readonly name = "ImportError";
}

const SUPPORTED_TYPES = new Set([
  "string", "blob", "boolean", "byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal", "timestamp",
  "document", "structure", "union", "enum", "intEnum", "list", "map", "operation", "resource", "service",
]);

/** Parses and checks the top level of a Smithy JSON AST file. */
export function readSmithyJson(text: string, file: string): SmithyAst {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ImportError(`${file}: not valid JSON: ${(error as Error).message}`);
  }
  if (!isPlainObject(parsed) || typeof parsed.smithy !== "string" || !isPlainObject(parsed.shapes)) {
    throw new ImportError(`${file}: not a Smithy JSON AST: expected an object with "smithy" (a version string) and "shapes"`);
  }
  if (!parsed.smithy.startsWith("2.")) {
    throw new ImportError(`${file}: Smithy IDL version "${parsed.smithy}" is not supported; convert the model to version 2.0 first`);
  }
  for (const [id, shape] of Object.entries(parsed.shapes)) {
    if (!isPlainObject(shape) || typeof shape.type !== "string") throw new ImportError(`${file}: shape '${id}' has no "type"`);
    if (!SUPPORTED_TYPES.has(shape.type)) {
      throw new ImportError(`${file}: shape '${id}' is a ${shape.type}, which shapegen cannot import yet; remove it or flatten it into its operations`);
    }
  }
  return parsed as unknown as SmithyAst;
}

/** Returns the shape ids of an AST that `ids` reach, through members, inputs, outputs and errors. */
export function reachableFrom(ast: SmithyAst, ids: readonly ShapeId[]): Set<ShapeId> {
  const seen = new Set<ShapeId>();
  const pending = [...ids];
  while (pending.length > 0) {
    const id = pending.pop()!;
    const shape = ast.shapes[id];
    if (seen.has(id) || shape === undefined) continue;
    seen.add(id);
    pending.push(...referencesOf(shape));
  }
  return seen;
}

function referencesOf(shape: AstShape): ShapeId[] {
  const members: AstMember[] = [...Object.values(shape.members ?? {}), shape.member, shape.key, shape.value].filter((m) => m !== undefined);
  const lifecycle = LIFECYCLE.map((name) => shape[name] as { target: ShapeId } | undefined);
  const named = [...Object.values((shape.identifiers ?? {}) as Record<string, { target: ShapeId }>), ...Object.values((shape.properties ?? {}) as Record<string, { target: ShapeId }>)];
  const lists = [shape.errors, shape.operations, shape.resources, shape.collectionOperations as { target: ShapeId }[] | undefined, shape.mixins as { target: ShapeId }[] | undefined];
  const targets = [shape.input, shape.output, ...lifecycle, ...named, ...lists.flatMap((list) => list ?? [])].filter((t) => t !== undefined);
  return [...members, ...targets].map((t) => t.target);
}

const LIFECYCLE = ["create", "put", "read", "update", "delete", "list"] as const;

/**
 * Returns the part of a model that the named operations need: the operations,
 * every shape they reach, and the service with its operation list cut to them.
 */
export function closureOf(ast: SmithyAst, operationNames: readonly string[]): SmithyAst {
  const [serviceId, service] = findService(ast);
  const namespace = serviceId.slice(0, serviceId.indexOf("#"));
  const operations = operationNames.map((name) => (name.includes("#") ? name : `${namespace}#${name}`));
  for (const id of operations) {
    if (ast.shapes[id]?.type !== "operation") throw new ImportError(`operation '${id}' is not in the model; check the name given to --operation`);
  }

  const ids = reachableFrom(ast, [...operations, ...(service.errors ?? []).map((e) => e.target)]);
  const shapes: Record<ShapeId, AstShape> = {};
  for (const id of [...ids].sort()) shapes[id] = ast.shapes[id]!;
  shapes[serviceId] = { ...service, operations: operations.map((target) => ({ target })) };
  delete shapes[serviceId].resources;
  return ast.metadata === undefined ? { smithy: ast.smithy, shapes } : { smithy: ast.smithy, metadata: ast.metadata, shapes };
}

function findService(ast: SmithyAst): [ShapeId, AstShape] {
  const services = Object.entries(ast.shapes).filter(([, shape]) => shape.type === "service");
  if (services.length !== 1) {
    throw new ImportError(`expected exactly one service shape in the model, found ${services.length} (${services.map(([id]) => id).join(", ")}); choose one with --service`);
  }
  return services[0]!;
}

/** Keeps one service of a model with several, and the shapes its operations reach. */
export function onlyService(ast: SmithyAst, serviceId: string): SmithyAst {
  const matches = Object.keys(ast.shapes).filter((id) => ast.shapes[id]!.type === "service" && (id === serviceId || id.endsWith(`#${serviceId}`)));
  if (matches.length !== 1) throw new ImportError(`service '${serviceId}' is not in the model; give its shape id, such as 'com.example#Weather'`);
  const service = ast.shapes[matches[0]!]!;
  const ids = reachableFrom(ast, [matches[0]!, ...(service.errors ?? []).map((e) => e.target)]);
  const shapes = Object.fromEntries([...ids].sort().map((id) => [id, ast.shapes[id]!]));
  return ast.metadata === undefined ? { smithy: ast.smithy, shapes } : { smithy: ast.smithy, metadata: ast.metadata, shapes };
}

/**
 * Assigns each shape a file: the service to service.yaml, each operation and
 * the shapes only it reaches to `<operation-name>.yaml`, error structures
 * shared by several operations to errors.yaml, and other shared shapes, or
 * shapes no operation reaches, to shared.yaml.
 */
function fileAssignments(ast: SmithyAst): Map<ShapeId, string> {
  const users = new Map<ShapeId, Set<ShapeId>>();
  const operations = Object.keys(ast.shapes).filter((id) => ast.shapes[id]!.type === "operation").sort();
  for (const operation of operations) {
    for (const id of reachableFrom(ast, [operation])) {
      if (!users.has(id)) users.set(id, new Set());
      users.get(id)!.add(operation);
    }
  }

  const files = new Map<ShapeId, string>();
  for (const [id, shape] of Object.entries(ast.shapes)) {
    const reachedBy = [...(users.get(id) ?? [])];
    if (shape.type === "service") files.set(id, "service.yaml");
    else if (reachedBy.length === 1) files.set(id, operationFile(reachedBy[0]!));
    else if (shape.traits?.["smithy.api#error"] !== undefined) files.set(id, "errors.yaml");
    else files.set(id, "shared.yaml");
  }
  return files;
}

/** An operation's file name; one whose name would clash with service.yaml, errors.yaml or shared.yaml gets a suffix. */
function operationFile(operationId: ShapeId): string {
  const name = kebabCase(operationId.slice(operationId.indexOf("#") + 1));
  return ["service", "errors", "shared"].includes(name) ? `${name}-operation.yaml` : `${name}.yaml`;
}

/** The JSON Schema of the model format, relative to a model folder two levels below the repository root. */
const SCHEMA_COMMENT = "# yaml-language-server: $schema=../../codegen/model/model.schema.json";

/**
 * Writes the shapes of one namespace as YAML model files (see
 * fileAssignments for which shape goes where). Returns file names and texts.
 */
export function toYamlFiles(ast: SmithyAst): Map<string, string> {
  const [serviceId] = findService(ast);
  const namespace = serviceId.slice(0, serviceId.indexOf("#"));
  const assignments = fileAssignments(ast);
  const groups = new Map<string, Record<string, unknown>>();
  for (const [id, shape] of Object.entries(ast.shapes)) {
    if (!id.startsWith(`${namespace}#`)) throw new ImportError(`shape '${id}' is outside the service namespace '${namespace}'; shapegen imports one namespace per model`);
    const file = assignments.get(id)!;
    const group = groups.get(file) ?? {};
    group[id.slice(namespace.length + 1)] = shapeToYaml(shape, namespace);
    groups.set(file, group);
  }

  const files = new Map<string, string>();
  for (const file of [...groups.keys()].sort()) {
    const metadata = file === "service.yaml" && ast.metadata !== undefined ? { metadata: ast.metadata } : {};
    const document = new Document({ namespace, ...metadata, shapes: sortKeys(groups.get(file)!) });
    files.set(file, `${SCHEMA_COMMENT}\n${stringify(document)}`);
  }
  return files;
}

function sortKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => a.localeCompare(b)));
}

function stringify(document: Document): string {
  useBlockScalars(document.contents);
  return document.toString({ lineWidth: 0, indent: 2, defaultKeyType: "PLAIN" });
}

/** Writes multi-line strings, such as documentation, as literal blocks where YAML can keep them exact. */
function useBlockScalars(node: unknown): void {
  if (!isMap(node)) return;
  for (const pair of node.items) {
    const value = pair.value as Scalar | unknown;
    if (isMap(value)) useBlockScalars(value);
    else if (value && typeof value === "object" && "value" in value && typeof (value as Scalar).value === "string" && (value as Scalar).value!.toString().includes("\n")) {
      (value as Scalar).type = "BLOCK_LITERAL";
    }
  }
}

function shapeToYaml(shape: AstShape, namespace: string): Record<string, unknown> {
  const yaml: Record<string, unknown> = { type: shape.type };
  const relative = (id: ShapeId) => (id.startsWith(`${namespace}#`) ? id.slice(namespace.length + 1) : id);

  if (shape.version !== undefined) yaml.version = shape.version;
  if (shape.input) yaml.input = relative(shape.input.target);
  if (shape.output) yaml.output = relative(shape.output.target);
  if (shape.errors?.length) yaml.errors = shape.errors.map((e) => relative(e.target));
  if (shape.operations?.length) yaml.operations = shape.operations.map((o) => relative(o.target));
  if (shape.resources?.length) yaml.resources = shape.resources.map((r) => relative(r.target));
  const mixins = shape.mixins as { target: ShapeId }[] | undefined;
  if (mixins?.length) yaml.mixins = mixins.map((m) => relative(m.target));
  for (const name of ["identifiers", "properties"] as const) {
    const named = shape[name] as Record<string, { target: ShapeId }> | undefined;
    if (named) yaml[name] = Object.fromEntries(Object.entries(named).map(([key, value]) => [key, relative(value.target)]));
  }
  for (const name of LIFECYCLE) {
    const operation = shape[name] as { target: ShapeId } | undefined;
    if (operation) yaml[name] = relative(operation.target);
  }
  const collectionOperations = shape.collectionOperations as { target: ShapeId }[] | undefined;
  if (collectionOperations?.length) yaml.collectionOperations = collectionOperations.map((o) => relative(o.target));
  Object.assign(yaml, traitsToYaml(shape.traits));

  const isEnum = shape.type === "enum" || shape.type === "intEnum";
  if (shape.member) yaml.member = memberToYaml(shape.member, relative, false);
  if (shape.key) yaml.key = memberToYaml(shape.key, relative, false);
  if (shape.value) yaml.value = memberToYaml(shape.value, relative, false);
  if (shape.members) {
    yaml.members = Object.fromEntries(Object.entries(shape.members).map(([name, m]) => [name, memberToYaml(m, relative, isEnum)]));
  }
  return yaml;
}

function memberToYaml(member: AstMember, relative: (id: ShapeId) => string, isEnum: boolean): unknown {
  const traits = traitsToYaml(member.traits);
  if (!isEnum && Object.keys(traits).length === 0) return relative(member.target);
  return isEnum ? traits : { target: relative(member.target), ...traits };
}

/** Prelude traits as plain keys with documentation last, then other namespaces under `traits:`. */
function traitsToYaml(ast: Record<ShapeId, NodeValue> | undefined): Record<string, unknown> {
  if (ast === undefined) return {};
  const { prelude, other } = traitsFromAst(ast);
  const { documentation, ...rest } = prelude;
  const yaml: Record<string, unknown> = { ...rest };
  if (Object.keys(other).length > 0) yaml.traits = other;
  if (documentation !== undefined) yaml.documentation = documentation;
  return yaml;
}
