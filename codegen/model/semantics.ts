/**
 * Checks that need the whole resolved model: defaults against their shape's
 * constraints, duplicate enum values, recursion that no value can end, and
 * member names that collide once cased.
 */
import { diagnostic, type Diagnostic } from "./diagnostics.js";
import { PRELUDE_SHAPES, type Member, type NodeValue, type Shape, type ShapeId, type SourceLocation, type Traits } from "./ir.js";
import { compilePattern } from "./patterns.js";

/** Runs every whole-model check and appends what it finds. */
export function checkSemantics(shapes: ReadonlyMap<ShapeId, Shape>, diagnostics: Diagnostic[]): void {
  for (const shape of shapes.values()) {
    checkName(shape, diagnostics);
    if (shape.traits.default !== undefined) checkDefault(shapes, shape.id, shape.traits, `shape '${shape.name}'`, shape.location, diagnostics);
    if (shape.type === "structure" || shape.type === "union" || shape.type === "enum" || shape.type === "intEnum") {
      for (const member of shape.members) {
        if (member.traits.default !== undefined) checkDefault(shapes, member.target, member.traits, `member '${member.name}' of shape '${shape.name}'`, member.location, diagnostics);
      }
      checkCasedNames(shape, shape.members, diagnostics);
    }
    if (shape.type === "enum" || shape.type === "intEnum") checkEnumValues(shape, shape.members, diagnostics);
  }
  checkRecursion(shapes, diagnostics);
}

/** TypeScript reserved words and type keywords, which cannot name a type in any generated file. */
const RESERVED_SHAPE_NAMES = new Set([
  ...["break", "case", "catch", "class", "const", "continue", "debugger", "default", "delete", "do", "else", "enum", "export", "extends", "false"],
  ...["finally", "for", "function", "if", "import", "in", "instanceof", "new", "null", "return", "super", "switch", "this", "throw", "true", "try"],
  ...["typeof", "var", "void", "while", "with", "as", "implements", "interface", "let", "package", "private", "protected", "public", "static", "yield"],
  ...["any", "boolean", "number", "string", "symbol", "bigint", "object", "never", "unknown", "undefined", "type", "await", "async"],
]);

/** Member names that would reach or replace an object's prototype when used as a property. */
const RESERVED_MEMBER_NAMES = new Set(["__proto__", "constructor", "prototype"]);

function checkName(shape: Shape, diagnostics: Diagnostic[]): void {
  // Only structures, unions and enums become named TypeScript types; other shapes are inlined, so their names cannot clash.
  const becomesType = shape.type === "structure" || shape.type === "union" || shape.type === "enum" || shape.type === "intEnum";
  if (becomesType && RESERVED_SHAPE_NAMES.has(shape.name)) {
    diagnostics.push(diagnostic("SG1019", { what: "shape", name: shape.name, reason: "it is a TypeScript reserved word" }, shape.location));
  }
  if (!("members" in shape) || shape.type === "enum" || shape.type === "intEnum") return;
  for (const member of shape.members) {
    if (RESERVED_MEMBER_NAMES.has(member.name)) {
      diagnostics.push(diagnostic("SG1019", { what: `member of shape '${shape.name}'`, name: member.name, reason: "as a property it would reach the object's prototype" }, member.location));
    }
  }
}

/** Reports a default that does not fit the target's type, length, range, pattern or enum values. */
function checkDefault(shapes: ReadonlyMap<ShapeId, Shape>, target: ShapeId, traits: Traits, owner: string, location: SourceLocation | undefined, diagnostics: Diagnostic[]): void {
  const value = traits.default!;
  // A null default marks a member as having no default in Smithy, whatever its type.
  if (value === null) return;
  const shape = shapes.get(target);
  const type = shape?.type ?? PRELUDE_SHAPES.get(target);
  const constraints = { ...shape?.traits, ...traits } as Traits;
  const reason = defaultProblem(type, value, constraints, shape);
  if (reason !== undefined) diagnostics.push(diagnostic("SG2007", { owner, value: JSON.stringify(value), reason }, location));
}

function defaultProblem(type: Shape["type"] | undefined, value: NodeValue, traits: Traits, shape: Shape | undefined): string | undefined {
  switch (type) {
    case "string": {
      if (typeof value !== "string") return "the target is a string";
      const length = [...value].length;
      if (traits.length?.min !== undefined && length < traits.length.min) return `it is shorter than the minimum length ${traits.length.min}`;
      if (traits.length?.max !== undefined && length > traits.length.max) return `it is longer than the maximum length ${traits.length.max}`;
      if (traits.pattern !== undefined) {
        const compiled = compilePattern(traits.pattern);
        if (compiled.ok && !new RegExp(compiled.source, compiled.flags).test(value)) return `it does not match the pattern '${traits.pattern}'`;
      }
      return undefined;
    }
    case "enum":
    case "intEnum": {
      const values = shape && "members" in shape ? shape.members.map((m) => m.traits.enumValue ?? m.name) : [];
      return values.includes(value as string | number) ? undefined : `it is not one of the enum values ${values.map((v) => JSON.stringify(v)).join(", ")}`;
    }
    case "boolean":
      return typeof value === "boolean" ? undefined : "the target is a boolean";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
    case "bigInteger":
    case "bigDecimal": {
      if (typeof value !== "number") return "the target is a number";
      if (traits.range?.min !== undefined && value < traits.range.min) return `it is below the range minimum ${traits.range.min}`;
      if (traits.range?.max !== undefined && value > traits.range.max) return `it is above the range maximum ${traits.range.max}`;
      return undefined;
    }
    case "list":
      return Array.isArray(value) && value.length === 0 ? undefined : "a list default must be the empty list []";
    case "map":
    case "document":
      return type === "document" || (typeof value === "object" && value !== null && !Array.isArray(value) && Object.keys(value).length === 0) ? undefined : "a map default must be the empty map {}";
    case "blob":
      return typeof value === "string" ? undefined : "the target is a blob, whose default is a base64 string";
    case "timestamp":
      return typeof value === "number" || typeof value === "string" ? undefined : "the target is a timestamp, whose default is epoch seconds or a date-time string";
    default:
      return `a ${type ?? "shape of unknown type"} cannot have a default`;
  }
}

/** Reports members whose names differ only in case, which collide in lower camel case paths and in most languages' identifiers. */
function checkCasedNames(shape: Shape, members: readonly Member[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, string>();
  for (const member of members) {
    const key = member.name.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) diagnostics.push(diagnostic("SG1015", { first, second: member.name, shape: shape.name }, member.location));
    else seen.set(key, member.name);
  }
}

function checkEnumValues(shape: Shape, members: readonly Member[], diagnostics: Diagnostic[]): void {
  const seen = new Map<string, string>();
  for (const member of members) {
    const value = JSON.stringify(member.traits.enumValue ?? member.name);
    const first = seen.get(value);
    if (first !== undefined) diagnostics.push(diagnostic("SG2008", { shape: shape.name, value, first, second: member.name }, member.location));
    else seen.set(value, member.name);
  }
}

/**
 * Reports structures that contain themselves through required members only:
 * no finite value can exist. Optional members, lists, maps and unions end a
 * recursion, because they can be left empty.
 */
function checkRecursion(shapes: ReadonlyMap<ShapeId, Shape>, diagnostics: Diagnostic[]): void {
  const requiredEdges = (shape: Shape): Member[] =>
    shape.type === "structure" ? shape.members.filter((m) => m.traits.required && m.traits.default === undefined && shapes.get(m.target)?.type === "structure") : [];
  const state = new Map<ShapeId, "visiting" | "done">();
  const reported = new Set<ShapeId>();

  const visit = (shape: Shape, path: Member[]) => {
    state.set(shape.id, "visiting");
    for (const member of requiredEdges(shape)) {
      const target = shapes.get(member.target)!;
      if (state.get(target.id) === "visiting") {
        const start = path.findIndex((m) => m.id.startsWith(`${target.id}$`));
        const cycle = start === -1 ? [member] : [...path.slice(start), member];
        if (!reported.has(target.id)) {
          reported.add(target.id);
          diagnostics.push(diagnostic("SG1016", { shape: target.name, path: cycle.map((m) => m.id.slice(m.id.indexOf("#") + 1)).join(" -> ") }, member.location));
        }
      } else if (state.get(target.id) === undefined) {
        visit(target, [...path, member]);
      }
    }
    state.set(shape.id, "done");
  };
  for (const shape of shapes.values()) if (state.get(shape.id) === undefined) visit(shape, []);
}
