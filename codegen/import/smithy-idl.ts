/**
 * Reads Smithy IDL 2.0 text into the same JSON AST that readSmithyJson returns.
 *
 * Covered: control statements, metadata, namespaces, `use`, documentation
 * comments, traits with node values (text blocks included), `apply` (single
 * and block form), every simple and aggregate shape, enums and intEnums with
 * values, member defaults, mixins (flattened into the shapes that use them,
 * as `smithy build` does), operations with inline `:=` input and output, and
 * services. Resources are rejected, because readSmithyJson rejects them too.
 * Relative shape ids resolve as Smithy resolves them: a `use` import, then a
 * shape of the file's namespace, then the prelude.
 */
import type { NodeValue, ShapeId } from "../model/ir.js";
import type { AstMember, AstShape, SmithyAst } from "../model/smithy-ast.js";
import { ImportError } from "./smithy-json.js";

/** One IDL file: its name for messages and its text. */
export interface IdlFile {
  readonly file: string;
  readonly text: string;
}

const PRELUDE_SHAPE_NAMES = new Set([
  "String", "Blob", "Boolean", "Byte", "Short", "Integer", "Long", "Float", "Double", "BigInteger", "BigDecimal", "Timestamp", "Document",
  "PrimitiveBoolean", "PrimitiveByte", "PrimitiveShort", "PrimitiveInteger", "PrimitiveLong", "PrimitiveFloat", "PrimitiveDouble", "Unit",
]);

const SIMPLE_TYPES = new Set([
  "blob", "boolean", "document", "string", "byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal", "timestamp",
]);

/** Parses IDL files that together form one model; shapes of every file and namespace end up in one AST. */
export function readSmithyIdl(files: readonly IdlFile[]): SmithyAst {
  const parsed = files.map((f) => new IdlParser(f.file, f.text).parseFile());
  const defined = new Set<ShapeId>(parsed.flatMap((p) => [...p.shapes.keys()]));
  const shapes: Record<ShapeId, AstShape> = {};
  const metadata: Record<string, NodeValue> = {};

  for (const file of parsed) {
    const resolve = resolverFor(file, defined);
    for (const [id, raw] of file.shapes) {
      if (shapes[id] !== undefined) throw new ImportError(`${file.file}: shape '${id}' is defined twice`);
      shapes[id] = resolveShape(raw, resolve);
    }
    Object.assign(metadata, file.metadata);
  }
  for (const file of parsed) {
    const resolve = resolverFor(file, defined);
    for (const apply of file.applies) applyTraits(shapes, resolve(apply.target, apply.location), resolveTraits(apply.traits, resolve), apply.location);
  }

  flattenMixins(shapes);
  const sorted: Record<ShapeId, AstShape> = {};
  for (const id of Object.keys(shapes).sort()) sorted[id] = shapes[id]!;
  const ast: SmithyAst = { smithy: "2.0", shapes: sorted };
  if (Object.keys(metadata).length > 0) ast.metadata = metadata;
  return ast;
}

// ---------------------------------------------------------------------------
// Parsed, unresolved form

/** A shape id as written, with where it was written. */
interface Ref {
  readonly name: string;
  readonly location: string;
}

interface RawTrait {
  readonly name: Ref;
  readonly value: RawNode;
}

/** A node value whose unquoted shape ids are still unresolved. */
type RawNode = null | boolean | number | string | { readonly ref: Ref } | readonly RawNode[] | { readonly object: ReadonlyMap<string, RawNode> };

interface RawMember {
  readonly name: string;
  /** Undefined for an elided target (`$name`), which a mixin supplies. */
  readonly target?: Ref;
  readonly traits: RawTrait[];
}

interface RawShape {
  readonly type: string;
  readonly traits: RawTrait[];
  readonly mixins: Ref[];
  readonly members: RawMember[];
  readonly properties: Map<string, Ref | Ref[] | string>;
}

interface ParsedFile {
  readonly file: string;
  readonly namespace: string;
  readonly uses: Map<string, ShapeId>;
  readonly shapes: Map<ShapeId, RawShape>;
  readonly applies: { target: Ref; traits: RawTrait[]; location: string }[];
  readonly metadata: Record<string, NodeValue>;
}

// ---------------------------------------------------------------------------
// Resolution

/** Resolves a relative shape id; with `strict`, a name that is neither imported nor defined throws instead of falling back to the prelude. */
type Resolver = (ref: Ref | string, location?: string, strict?: boolean) => ShapeId;

function resolverFor(file: ParsedFile, defined: ReadonlySet<ShapeId>): Resolver {
  return (ref, location, strict = false) => {
    const name = typeof ref === "string" ? ref : ref.name;
    const where = typeof ref === "string" ? location ?? file.file : ref.location;
    if (name.includes("#")) return name;
    const [base, member] = name.split("$") as [string, string | undefined];
    const suffix = member === undefined ? "" : `$${member}`;
    const imported = file.uses.get(base);
    if (imported !== undefined) return imported + suffix;
    if (defined.has(`${file.namespace}#${base}`)) return `${file.namespace}#${base}${suffix}`;
    if (!strict && (PRELUDE_SHAPE_NAMES.has(base) || !/^[A-Z]/.test(base))) return `smithy.api#${base}${suffix}`;
    throw new ImportError(`${where}: unknown shape '${name}'; define it in namespace '${file.namespace}' or import it with a 'use' statement`);
  };
}

function resolveShape(raw: RawShape, resolve: Resolver): AstShape {
  const shape: AstShape = { type: raw.type };
  const traits = resolveTraits(raw.traits, resolve);
  if (raw.mixins.length > 0) shape.mixins = raw.mixins.map((m) => ({ target: resolve(m) }));

  const isListOrMap = raw.type === "list" || raw.type === "map";
  const isEnum = raw.type === "enum" || raw.type === "intEnum";
  if (isListOrMap) {
    for (const member of raw.members) shape[member.name] = resolveMember(member, resolve);
  } else if (raw.members.length > 0 || ["structure", "union", "enum", "intEnum"].includes(raw.type)) {
    const members: Record<string, AstMember> = {};
    for (const member of raw.members) members[member.name] = isEnum ? enumMember(member, raw.type, resolve) : resolveMember(member, resolve);
    if (raw.members.length > 0 || raw.mixins.length === 0) shape.members = members;
  }

  for (const [key, value] of raw.properties) {
    if (key === "version") shape.version = value as string;
    else if (key === "input" || key === "output") shape[key] = { target: resolve(value as Ref) };
    else shape[key] = (value as Ref[]).map((ref) => ({ target: resolve(ref) }));
  }
  if (Object.keys(traits).length > 0) shape.traits = traits;
  return shape;
}

function resolveMember(member: RawMember, resolve: Resolver): AstMember {
  const traits = resolveTraits(member.traits, resolve);
  const ast: AstMember = { target: member.target === undefined ? "" : resolve(member.target) };
  if (Object.keys(traits).length > 0) ast.traits = traits;
  return ast;
}

function enumMember(member: RawMember, type: string, resolve: Resolver): AstMember {
  const traits = resolveTraits(member.traits, resolve);
  if (traits["smithy.api#enumValue"] === undefined) {
    if (type === "intEnum") throw new ImportError(`intEnum member '${member.name}' needs a value, such as '${member.name} = 1'`);
    traits["smithy.api#enumValue"] = member.name;
  }
  return { target: "smithy.api#Unit", traits };
}

function resolveTraits(traits: readonly RawTrait[], resolve: Resolver): Record<ShapeId, NodeValue> {
  const result: Record<ShapeId, NodeValue> = {};
  for (const trait of traits) {
    const id = resolve(trait.name);
    const value = resolveNode(trait.value, resolve);
    result[id] = mergeTraitValues(result[id], value, id, trait.name.location);
  }
  return result;
}

/** Converts a raw node; an unquoted shape id becomes its absolute id when it names a known shape, else it stays as written. */
function resolveNode(node: RawNode, resolve: Resolver): NodeValue {
  if (node === null || typeof node !== "object") return node;
  if (Array.isArray(node)) return node.map((item) => resolveNode(item as RawNode, resolve));
  if ("ref" in node) {
    try {
      return resolve(node.ref, undefined, true);
    } catch {
      return node.ref.name;
    }
  }
  const object: Record<string, NodeValue> = {};
  for (const [key, value] of (node as { object: ReadonlyMap<string, RawNode> }).object) object[key] = resolveNode(value, resolve);
  return object;
}

/** Applying a trait twice is an error unless both values are lists, which Smithy concatenates. */
function mergeTraitValues(existing: NodeValue | undefined, value: NodeValue, id: ShapeId, location: string): NodeValue {
  if (existing === undefined) return value;
  if (Array.isArray(existing) && Array.isArray(value)) return [...existing, ...value];
  if (JSON.stringify(existing) === JSON.stringify(value)) return value;
  throw new ImportError(`${location}: trait '${id}' is applied twice with different values`);
}

function applyTraits(shapes: Record<ShapeId, AstShape>, target: ShapeId, traits: Record<ShapeId, NodeValue>, location: string): void {
  const [shapeId, memberName] = target.split("$") as [string, string | undefined];
  const shape = shapes[shapeId];
  if (shape === undefined) throw new ImportError(`${location}: 'apply' targets unknown shape '${shapeId}'`);
  const holder: { traits?: Record<ShapeId, NodeValue> } | undefined =
    memberName === undefined ? shape : (shape.members?.[memberName] ?? (shape[memberName] as AstMember | undefined));
  if (holder === undefined) throw new ImportError(`${location}: 'apply' targets unknown member '${target}'`);
  const merged = { ...(holder.traits ?? {}) };
  for (const [id, value] of Object.entries(traits)) merged[id] = mergeTraitValues(merged[id], value, id, location);
  holder.traits = merged;
}

/** Copies the members and traits of mixins into the shapes that use them, then drops the mixin shapes. */
function flattenMixins(shapes: Record<ShapeId, AstShape>): void {
  const done = new Set<ShapeId>();
  const flatten = (id: ShapeId, trail: readonly ShapeId[]): AstShape => {
    const shape = shapes[id];
    if (shape === undefined) throw new ImportError(`mixin '${id}' is not defined`);
    if (trail.includes(id)) throw new ImportError(`mixins form a cycle: ${[...trail, id].join(" -> ")}`);
    if (done.has(id) || shape.mixins === undefined) return shape;

    const members: Record<string, AstMember> = {};
    const traits: Record<ShapeId, NodeValue> = {};
    for (const { target } of shape.mixins as { target: ShapeId }[]) {
      const mixin = flatten(target, [...trail, id]);
      for (const [name, member] of Object.entries(mixin.members ?? {})) members[name] = structuredClone(member);
      for (const key of ["member", "key", "value"] as const) if (mixin[key] !== undefined && shape[key] === undefined) shape[key] = structuredClone(mixin[key]);
      for (const [traitId, value] of Object.entries(mixin.traits ?? {})) if (traitId !== "smithy.api#mixin") traits[traitId] = value;
    }
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      const inherited = members[name];
      const traits = { ...inherited?.traits, ...member.traits };
      members[name] = { target: member.target || inherited?.target || "", ...(Object.keys(traits).length > 0 ? { traits } : {}) };
    }
    if (Object.keys(members).length > 0 || shape.members !== undefined) shape.members = members;
    if (Object.keys(traits).length > 0 || shape.traits !== undefined) shape.traits = { ...traits, ...shape.traits };
    delete shape.mixins;
    done.add(id);
    return shape;
  };
  for (const id of Object.keys(shapes)) flatten(id, []);
  for (const [id, shape] of Object.entries(shapes)) {
    for (const [name, member] of Object.entries(shape.members ?? {})) {
      if (member.target === "") throw new ImportError(`member '${id}$${name}' elides its target ('$${name}') but no mixin defines it`);
    }
    if (shape.traits?.["smithy.api#mixin"] !== undefined) delete shapes[id];
  }
}

// ---------------------------------------------------------------------------
// Lexing and parsing

const IDENTIFIER = /[A-Za-z_][A-Za-z0-9_]*/y;
const SHAPE_ID = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*(?:#[A-Za-z_][A-Za-z0-9_]*)?(?:\$[A-Za-z_][A-Za-z0-9_]*)?/y;
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;

class IdlParser {
  private position = 0;
  private namespace: string | undefined;
  private readonly uses = new Map<string, ShapeId>();
  private readonly shapes = new Map<ShapeId, RawShape>();
  private readonly applies: ParsedFile["applies"] = [];
  private readonly metadata: Record<string, NodeValue> = {};
  private operationInputSuffix = "Input";
  private operationOutputSuffix = "Output";
  private pendingDocs: string[] = [];

  constructor(
    private readonly file: string,
    private readonly text: string,
  ) {}

  parseFile(): ParsedFile {
    this.skipTrivia();
    while (this.peek() === "$") this.parseControl();
    while (this.peekWord() === "metadata") this.parseMetadata();
    if (this.peekWord() === "namespace") {
      this.word("namespace");
      this.namespace = this.shapeId();
      this.skipTrivia();
    }
    while (this.peekWord() === "use") {
      this.word("use");
      const id = this.shapeId();
      if (!id.includes("#")) this.fail(`'use' needs an absolute shape id such as 'smithy.test#httpRequestTests', got '${id}'`);
      this.uses.set(id.slice(id.indexOf("#") + 1), id);
      this.skipTrivia();
    }
    while (this.position < this.text.length) this.parseStatement();
    if (this.namespace === undefined && this.shapes.size > 0) this.fail("shapes need a 'namespace' statement before them");
    return { file: this.file, namespace: this.namespace ?? "", uses: this.uses, shapes: this.shapes, applies: this.applies, metadata: this.metadata };
  }

  // -- statements

  private parseControl(): void {
    this.expect("$");
    const key = this.identifier();
    this.skipTrivia();
    this.expect(":");
    this.skipTrivia();
    const value = this.nodeValue();
    if (key === "version" && (typeof value !== "string" || !value.startsWith("2"))) this.fail(`Smithy IDL version ${JSON.stringify(value)} is not supported; use version "2.0"`);
    if (key === "operationInputSuffix" && typeof value === "string") this.operationInputSuffix = value;
    if (key === "operationOutputSuffix" && typeof value === "string") this.operationOutputSuffix = value;
    this.skipTrivia();
  }

  private parseMetadata(): void {
    this.word("metadata");
    const key = this.peek() === '"' ? this.quotedString() : this.identifier();
    this.skipTrivia();
    this.expect("=");
    this.skipTrivia();
    this.metadata[key] = this.plainNode(this.nodeValue());
    this.skipTrivia();
  }

  private parseStatement(): void {
    if (this.peekWord() === "apply") return this.parseApply();
    const traits = this.traits();
    const location = this.location();
    const type = this.identifier();
    this.skipSpaces();
    const name = this.identifier();
    const id = `${this.requireNamespace()}#${name}`;
    if (this.shapes.has(id)) this.fail(`shape '${name}' is defined twice`);

    const shape: RawShape = { type, traits, mixins: [], members: [], properties: new Map() };
    this.skipTrivia();
    this.parseMixins(shape);
    if (type === "resource") this.fail(`resource '${name}' cannot be imported: shapegen reads operations bound to the service directly; list them in the service's 'operations'`);
    if (this.peekWord() === "for") this.fail(`'for' target elision is only valid for resources, which shapegen cannot import`);

    if (SIMPLE_TYPES.has(type)) {
      // Simple shapes have no body.
    } else if (type === "enum" || type === "intEnum") {
      this.parseEnumBody(shape);
    } else if (type === "structure" || type === "union" || type === "list" || type === "map") {
      this.parseMembers(shape);
    } else if (type === "operation") {
      this.parseOperationBody(shape, name);
    } else if (type === "service") {
      this.parseServiceBody(shape);
    } else {
      this.fail(`unknown shape type '${type}' at ${location}`);
    }
    this.shapes.set(id, shape);
    this.skipTrivia();
  }

  private parseApply(): void {
    this.word("apply");
    const location = this.location();
    const target: Ref = { name: this.shapeId(), location };
    this.skipTrivia();
    let traits: RawTrait[];
    if (this.peek() === "{") {
      this.expect("{");
      traits = this.traits();
      this.expect("}");
    } else {
      traits = [this.trait()];
    }
    this.applies.push({ target, traits, location });
    this.skipTrivia();
  }

  private parseMixins(shape: RawShape): void {
    if (this.peekWord() !== "with") return;
    this.word("with");
    this.expect("[");
    this.skipTrivia();
    while (this.peek() !== "]") {
      shape.mixins.push(this.ref());
      this.skipTrivia();
    }
    this.expect("]");
    this.skipTrivia();
  }

  private parseMembers(shape: RawShape): void {
    this.expect("{");
    this.skipTrivia();
    while (this.peek() !== "}") {
      const traits = this.traits();
      const elided = this.peek() === "$";
      if (elided) this.expect("$");
      const name = this.identifier();
      this.skipSpaces();
      let target: Ref | undefined;
      if (!elided) {
        this.expect(":");
        this.skipSpaces();
        target = this.ref();
      }
      this.skipSpaces();
      if (this.peek() === "=") {
        this.expect("=");
        this.skipSpaces();
        traits.push(this.syntheticTrait("default", this.nodeValue()));
      }
      shape.members.push({ name, target, traits });
      this.skipTrivia();
    }
    this.expect("}");
  }

  private parseEnumBody(shape: RawShape): void {
    this.expect("{");
    this.skipTrivia();
    while (this.peek() !== "}") {
      const traits = this.traits();
      const name = this.identifier();
      this.skipSpaces();
      if (this.peek() === "=") {
        this.expect("=");
        this.skipSpaces();
        traits.push(this.syntheticTrait("enumValue", this.nodeValue()));
      }
      shape.members.push({ name, traits });
      this.skipTrivia();
    }
    this.expect("}");
  }

  private parseOperationBody(shape: RawShape, operationName: string): void {
    this.expect("{");
    this.skipTrivia();
    while (this.peek() !== "}") {
      const key = this.identifier();
      this.skipSpaces();
      if ((key === "input" || key === "output") && this.text.startsWith(":=", this.position)) {
        this.position += 2;
        this.skipTrivia();
        const suffix = key === "input" ? this.operationInputSuffix : this.operationOutputSuffix;
        const name = operationName + suffix;
        shape.properties.set(key, { name, location: this.location() });
        this.parseInlineStructure(name, key);
      } else if (key === "input" || key === "output") {
        this.expect(":");
        this.skipTrivia();
        shape.properties.set(key, this.ref());
      } else if (key === "errors") {
        this.expect(":");
        this.skipTrivia();
        shape.properties.set(key, this.refList());
      } else {
        this.fail(`unknown operation property '${key}'; expected input, output or errors`);
      }
      this.skipTrivia();
    }
    this.expect("}");
  }

  private parseInlineStructure(name: string, role: "input" | "output"): void {
    const traits = this.traits();
    traits.push(this.syntheticTrait(role, { object: new Map() }));
    const shape: RawShape = { type: "structure", traits, mixins: [], members: [], properties: new Map() };
    this.parseMixins(shape);
    this.parseMembers(shape);
    const id = `${this.requireNamespace()}#${name}`;
    if (this.shapes.has(id)) this.fail(`inline ${role} '${name}' clashes with a shape of the same name`);
    this.shapes.set(id, shape);
  }

  private parseServiceBody(shape: RawShape): void {
    this.expect("{");
    this.skipTrivia();
    while (this.peek() !== "}") {
      const key = this.identifier();
      this.skipSpaces();
      this.expect(":");
      this.skipTrivia();
      if (key === "version") shape.properties.set(key, this.quotedOrTextBlock());
      else if (key === "operations" || key === "errors") shape.properties.set(key, this.refList());
      else if (key === "resources") this.fail("services with resources cannot be imported; list the resource operations under 'operations'");
      else if (key === "rename") this.nodeValue();
      else this.fail(`unknown service property '${key}'; expected version, operations, errors or rename`);
      this.skipTrivia();
    }
    this.expect("}");
  }

  // -- traits

  /** Reads the traits (and documentation comments) before a shape, member or in an apply block. */
  private traits(): RawTrait[] {
    const traits: RawTrait[] = [];
    this.skipTrivia();
    const docs = this.takeDocs();
    if (docs !== undefined) traits.push(this.syntheticTrait("documentation", docs));
    while (this.peek() === "@") {
      traits.push(this.trait());
      this.skipTrivia();
      const more = this.takeDocs();
      if (more !== undefined && !traits.some((t) => t.name.name === "documentation")) traits.push(this.syntheticTrait("documentation", more));
    }
    return traits;
  }

  private trait(): RawTrait {
    this.expect("@");
    const location = this.location();
    const name: Ref = { name: this.shapeId(), location };
    if (this.peek() !== "(") return { name, value: { object: new Map() } };
    this.expect("(");
    this.skipTrivia();
    let value: RawNode;
    if (this.peek() === ")") {
      value = { object: new Map() };
    } else if (this.looksLikeKeyValue()) {
      value = { object: this.objectEntries(")") };
    } else {
      value = this.nodeValue();
      this.skipTrivia();
    }
    this.expect(")");
    return { name, value };
  }

  private syntheticTrait(name: string, value: RawNode): RawTrait {
    return { name: { name: `smithy.api#${name}`, location: this.location() }, value };
  }

  private looksLikeKeyValue(): boolean {
    const match = /(?:"(?:[^"\\]|\\.)*"|[A-Za-z_][A-Za-z0-9_]*)\s*:/y;
    match.lastIndex = this.position;
    return match.test(this.text);
  }

  // -- node values

  private nodeValue(): RawNode {
    const c = this.peek();
    if (c === "{") {
      this.expect("{");
      const object = this.objectEntries("}");
      this.expect("}");
      return { object };
    }
    if (c === "[") {
      this.expect("[");
      const items: RawNode[] = [];
      this.skipTrivia();
      while (this.peek() !== "]") {
        items.push(this.nodeValue());
        this.skipTrivia();
      }
      this.expect("]");
      return items;
    }
    if (c === '"') return this.quotedOrTextBlock();
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) {
      NUMBER.lastIndex = this.position;
      const match = NUMBER.exec(this.text);
      if (match === null) this.fail("invalid number");
      this.position += match![0].length;
      return Number(match![0]);
    }
    const location = this.location();
    const id = this.shapeId();
    if (id === "true") return true;
    if (id === "false") return false;
    if (id === "null") return null;
    return { ref: { name: id, location } };
  }

  /** Reads `key: value` pairs separated by whitespace or commas, up to `close`. */
  private objectEntries(close: string): Map<string, RawNode> {
    const entries = new Map<string, RawNode>();
    this.skipTrivia();
    while (this.peek() !== close) {
      const key = this.peek() === '"' ? this.quotedString() : this.identifier();
      this.skipTrivia();
      this.expect(":");
      this.skipTrivia();
      if (entries.has(key)) this.fail(`duplicate key '${key}'`);
      entries.set(key, this.nodeValue());
      this.skipTrivia();
    }
    return entries;
  }

  private quotedOrTextBlock(): string {
    return this.text.startsWith('"""', this.position) ? this.textBlock() : this.quotedString();
  }

  private quotedString(): string {
    this.expect('"');
    let raw = "";
    while (this.peek() !== '"') {
      if (this.position >= this.text.length) this.fail("unterminated string");
      if (this.peek() === "\\") {
        raw += this.text.slice(this.position, this.position + 2);
        this.position += 2;
      } else {
        raw += this.text[this.position++];
      }
    }
    this.expect('"');
    return this.unescape(raw);
  }

  /** Reads a `"""` text block, removing the incidental indentation and trailing spaces as Smithy specifies. */
  private textBlock(): string {
    this.position += 3;
    const end = this.findTextBlockEnd();
    const raw = this.text.slice(this.position, end);
    this.position = end + 3;
    if (!raw.startsWith("\n") && !raw.startsWith("\r\n")) this.fail('a text block must start with a line break after """');

    const lines = raw.replace(/\r\n/g, "\n").slice(1).split("\n");
    const closingLineBlank = lines[lines.length - 1]!.trim() === "";
    const indents = lines.filter((line, i) => line.trim() !== "" || (i === lines.length - 1 && closingLineBlank)).map((line) => line.length - line.trimStart().length);
    const indent = indents.length > 0 ? Math.min(...indents) : 0;
    const text = lines.map((line) => line.slice(indent).replace(/[ \t]+$/, "")).join("\n");
    return this.unescape(text);
  }

  private findTextBlockEnd(): number {
    let i = this.position;
    while (i < this.text.length) {
      if (this.text[i] === "\\") i += 2;
      else if (this.text.startsWith('"""', i)) return i;
      else i += 1;
    }
    this.fail("unterminated text block");
  }

  private unescape(raw: string): string {
    return raw.replace(/\\(u[0-9A-Fa-f]{4}|\r?\n|.)/g, (_, escape: string) => {
      if (escape.startsWith("u")) return String.fromCharCode(parseInt(escape.slice(1), 16));
      if (escape === "\n" || escape === "\r\n") return "";
      const simple: Record<string, string> = { '"': '"', "\\": "\\", "/": "/", b: "\b", f: "\f", n: "\n", r: "\r", t: "\t", "'": "'" };
      const value = simple[escape];
      if (value === undefined) this.fail(`invalid escape '\\${escape}' in a string`);
      return value!;
    });
  }

  /** Converts a node without shape-id resolution, for metadata. */
  private plainNode(node: RawNode): NodeValue {
    if (node === null || typeof node !== "object") return node;
    if (Array.isArray(node)) return node.map((item) => this.plainNode(item as RawNode));
    if ("ref" in node) return node.ref.name;
    const object: Record<string, NodeValue> = {};
    for (const [key, value] of (node as { object: ReadonlyMap<string, RawNode> }).object) object[key] = this.plainNode(value);
    return object;
  }

  // -- lexing helpers

  private refList(): Ref[] {
    this.expect("[");
    this.skipTrivia();
    const refs: Ref[] = [];
    while (this.peek() !== "]") {
      refs.push(this.ref());
      this.skipTrivia();
    }
    this.expect("]");
    return refs;
  }

  private ref(): Ref {
    const location = this.location();
    return { name: this.shapeId(), location };
  }

  private identifier(): string {
    IDENTIFIER.lastIndex = this.position;
    const match = IDENTIFIER.exec(this.text);
    if (match === null) this.fail(`expected a name, found ${this.describeNext()}`);
    this.position += match![0].length;
    return match![0];
  }

  private shapeId(): string {
    SHAPE_ID.lastIndex = this.position;
    const match = SHAPE_ID.exec(this.text);
    if (match === null) this.fail(`expected a shape id, found ${this.describeNext()}`);
    this.position += match![0].length;
    return match![0];
  }

  private word(expected: string): void {
    if (this.identifier() !== expected) this.fail(`expected '${expected}'`);
    this.skipTrivia();
  }

  private peekWord(): string | undefined {
    IDENTIFIER.lastIndex = this.position;
    return IDENTIFIER.exec(this.text)?.[0];
  }

  private peek(): string | undefined {
    return this.text[this.position];
  }

  private expect(char: string): void {
    if (this.text[this.position] !== char) this.fail(`expected '${char}', found ${this.describeNext()}`);
    this.position += 1;
  }

  /** Skips spaces, commas and comments on the current line only. */
  private skipSpaces(): void {
    while (this.peek() === " " || this.peek() === "\t" || this.peek() === ",") this.position += 1;
  }

  /** Skips whitespace, commas and comments; `///` comments are kept for the next shape or member. */
  private skipTrivia(): void {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\n" || c === "\r" || c === ",") {
        this.position += 1;
      } else if (this.text.startsWith("//", this.position)) {
        const end = this.text.indexOf("\n", this.position);
        const line = this.text.slice(this.position, end === -1 ? undefined : end);
        if (line.startsWith("///")) this.pendingDocs.push(line.slice(3).replace(/^ /, ""));
        this.position = end === -1 ? this.text.length : end + 1;
      } else {
        return;
      }
    }
  }

  private takeDocs(): string | undefined {
    if (this.pendingDocs.length === 0) return undefined;
    const docs = this.pendingDocs.join("\n");
    this.pendingDocs = [];
    return docs;
  }

  private requireNamespace(): string {
    if (this.namespace === undefined) this.fail("shapes need a 'namespace' statement before them");
    return this.namespace!;
  }

  private location(): string {
    const before = this.text.slice(0, this.position);
    const line = before.split("\n").length;
    const column = this.position - before.lastIndexOf("\n");
    return `${this.file}:${line}:${column}`;
  }

  private describeNext(): string {
    if (this.position >= this.text.length) return "the end of the file";
    return `'${this.text.slice(this.position, this.position + 12).split("\n")[0]}'`;
  }

  private fail(message: string): never {
    throw new ImportError(`${this.location()}: ${message}`);
  }
}

/**
 * Moves the shapes of other namespaces into `namespace`, because a shapegen
 * model folder holds one namespace. Throws when two shapes would get the
 * same id. Trait ids and prelude shapes keep their namespaces.
 */
export function mergeIntoNamespace(ast: SmithyAst, namespace: string): SmithyAst {
  const renamed = new Map<ShapeId, ShapeId>();
  for (const id of Object.keys(ast.shapes)) {
    const name = id.slice(id.indexOf("#") + 1);
    const target = `${namespace}#${name}`;
    if (target !== id && ast.shapes[target] !== undefined) {
      throw new ImportError(`shape '${id}' cannot move into namespace '${namespace}': '${target}' already exists`);
    }
    renamed.set(id, target);
  }
  const rename = (id: ShapeId): ShapeId => renamed.get(id) ?? id;
  const renameMember = (member: AstMember | undefined): AstMember | undefined => (member === undefined ? undefined : { ...member, target: rename(member.target) });

  const shapes: Record<ShapeId, AstShape> = {};
  for (const [id, shape] of Object.entries(ast.shapes)) {
    const copy: AstShape = { ...shape };
    if (shape.members !== undefined) copy.members = Object.fromEntries(Object.entries(shape.members).map(([name, m]) => [name, renameMember(m)!]));
    for (const key of ["member", "key", "value"] as const) if (shape[key] !== undefined) copy[key] = renameMember(shape[key]);
    for (const key of ["input", "output"] as const) if (shape[key] !== undefined) copy[key] = { target: rename(shape[key]!.target) };
    for (const key of ["errors", "operations", "resources"] as const) if (shape[key] !== undefined) copy[key] = shape[key]!.map((r) => ({ target: rename(r.target) }));
    shapes[rename(id)] = copy;
  }
  const sorted: Record<ShapeId, AstShape> = {};
  for (const id of Object.keys(shapes).sort()) sorted[id] = shapes[id]!;
  return { ...ast, shapes: sorted };
}
