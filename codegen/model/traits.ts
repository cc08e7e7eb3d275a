/**
 * The prelude traits shapegen supports: where each applies, what value it takes,
 * and how it maps between the YAML form and Smithy's JSON AST.
 *
 * The YAML form is the Smithy value except for annotation traits, whose
 * Smithy value is `{}` and whose YAML value is `true`. Traits of other
 * namespaces are written under `traits:` with their absolute id and keep
 * their Smithy value unchanged.
 */
import type { Deprecation, NodeValue, ShapeId, ShapeType, Traits } from "./ir.js";

/** The subject of a trait: a shape, or a member with its container and target. */
export type TraitSubject =
  | { readonly kind: "shape"; readonly type: ShapeType }
  | { readonly kind: "member"; readonly container: ShapeType; readonly target: ShapeType | undefined };

interface TraitDefinition {
  /** Annotation traits are `true` in YAML and `{}` in Smithy; `object` ones also take a structure. */
  readonly annotation?: "only" | "or-object";
  /** Words for the error message, such as "string shapes and members that target them". */
  readonly appliesTo: string;
  readonly applies: (subject: TraitSubject) => boolean;
  /** Returns why a YAML value is invalid, or undefined when it is valid; `check.schema` states the same rule as JSON Schema, for editors. */
  readonly check: ValueCheck;
}

/** A check of a trait's YAML value, with the JSON Schema that states the same rule. */
export type ValueCheck = ((value: unknown) => string | undefined) & { readonly schema: Record<string, unknown> };

function valueCheck(check: (value: unknown) => string | undefined, schema: Record<string, unknown>): ValueCheck {
  return Object.assign(check, { schema });
}

const NUMBER_TYPES: readonly ShapeType[] = ["byte", "short", "integer", "long", "float", "double", "bigInteger", "bigDecimal"];

const anywhere = { appliesTo: "any shape or member", applies: () => true };

function shapeOrMemberTargeting(types: readonly ShapeType[], words: string) {
  return {
    appliesTo: words,
    applies: (s: TraitSubject) => (s.kind === "shape" ? types.includes(s.type) : s.target !== undefined && types.includes(s.target)),
  };
}

function shapesOnly(types: readonly ShapeType[], words: string) {
  return { appliesTo: words, applies: (s: TraitSubject) => s.kind === "shape" && types.includes(s.type) };
}

function membersOf(types: readonly ShapeType[], words: string) {
  return { appliesTo: words, applies: (s: TraitSubject) => s.kind === "member" && types.includes(s.container) };
}

const notContainer = {
  appliesTo: "shapes and members other than operations and services",
  applies: (s: TraitSubject) => s.kind === "member" || (s.type !== "operation" && s.type !== "service"),
};

const isString = valueCheck((v) => (typeof v === "string" ? undefined : `expected a string, got ${describe(v)}`), { type: "string" });
const isAnything = valueCheck(() => undefined, {});
const isTrue = valueCheck((v) => (v === true ? undefined : `expected true, got ${describe(v)}`), { const: true });

function isOneOf(values: readonly string[]): ValueCheck {
  return valueCheck(
    (v) => (typeof v === "string" && values.includes(v) ? undefined : `expected one of ${values.map((x) => `'${x}'`).join(", ")}, got ${describe(v)}`),
    { enum: values },
  );
}

function isObjectWith(keys: Readonly<Record<string, "string" | "boolean" | "number">>): ValueCheck {
  const schema = {
    oneOf: [{ const: true }, { type: "object", properties: Object.fromEntries(Object.entries(keys).map(([k, t]) => [k, { type: t }])), additionalProperties: false }],
  };
  return valueCheck((v) => {
    if (v === true) return undefined;
    if (!isPlainObject(v)) return `expected true or a mapping with ${Object.keys(keys).join(", ")}, got ${describe(v)}`;
    for (const [key, value] of Object.entries(v)) {
      const expected = keys[key];
      if (expected === undefined) return `unknown key '${key}'; expected ${Object.keys(keys).join(", ")}`;
      if (typeof value !== expected) return `'${key}' must be a ${expected}, got ${describe(value)}`;
    }
    return undefined;
  }, schema);
}

function isBounds(integersOnly: boolean): ValueCheck {
  const bound = integersOnly ? { type: "integer", minimum: 0 } : { type: "number" };
  const schema = { type: "object", properties: { min: bound, max: bound }, additionalProperties: false, minProperties: 1 };
  return valueCheck((v) => {
    if (!isPlainObject(v)) return `expected a mapping with min and/or max, got ${describe(v)}`;
    const keys = Object.keys(v);
    if (keys.length === 0) return "expected at least one of min and max";
    for (const key of keys) {
      const bound = v[key];
      if (key !== "min" && key !== "max") return `unknown key '${key}'; expected min and max`;
      if (typeof bound !== "number" || !Number.isFinite(bound)) return `'${key}' must be a number, got ${describe(bound)}`;
      if (integersOnly && (!Number.isSafeInteger(bound) || bound < 0)) return `'${key}' must be a non-negative integer, got ${bound}`;
    }
    return undefined;
  }, schema);
}

/** The prelude traits, by the bare name that the YAML form uses. */
export const PRELUDE_TRAITS: Readonly<Record<string, TraitDefinition>> = {
  documentation: { ...anywhere, check: isString },
  required: { annotation: "only", ...membersOf(["structure"], "members of structures"), check: isTrue },
  clientOptional: { annotation: "only", ...membersOf(["structure"], "members of structures"), check: isTrue },
  default: { ...notContainer, check: isAnything },
  addedDefault: { annotation: "only", ...anywhere, check: isTrue },
  sensitive: { annotation: "only", ...notContainer, check: isTrue },
  deprecated: { annotation: "or-object", ...anywhere, check: isObjectWith({ message: "string", since: "string" }) },
  length: { ...shapeOrMemberTargeting(["string", "blob", "list", "map"], "string, blob, list and map shapes and members that target them"), check: isBounds(true) },
  range: { ...shapeOrMemberTargeting(NUMBER_TYPES, "number shapes and members that target them"), check: isBounds(false) },
  pattern: { ...shapeOrMemberTargeting(["string"], "string shapes and members that target them"), check: isString },
  enumValue: {
    ...membersOf(["enum", "intEnum"], "members of enum and intEnum shapes"),
    check: valueCheck((v) => (typeof v === "string" || Number.isSafeInteger(v) ? undefined : `expected a string or an integer, got ${describe(v)}`), {
      type: ["string", "integer"],
    }),
  },
  error: { ...shapesOnly(["structure"], "structures"), check: isOneOf(["client", "server"]) },
  httpError: {
    ...shapesOnly(["structure"], "structures"),
    check: valueCheck(
      (v) => (Number.isInteger(v) && (v as number) >= 200 && (v as number) <= 599 ? undefined : `expected an HTTP status code from 200 to 599, got ${describe(v)}`),
      { type: "integer", minimum: 200, maximum: 599 },
    ),
  },
  retryable: { annotation: "or-object", ...shapesOnly(["structure"], "structures"), check: isObjectWith({ throttling: "boolean" }) },
  input: { annotation: "only", ...shapesOnly(["structure"], "structures"), check: isTrue },
  output: { annotation: "only", ...shapesOnly(["structure"], "structures"), check: isTrue },
  auth: {
    ...shapesOnly(["operation", "service"], "operations and services"),
    check: valueCheck(
      (v) =>
        Array.isArray(v) && v.every((id) => typeof id === "string" && id.includes("#"))
          ? undefined
          : `expected a list of absolute auth scheme ids such as 'aws.auth#sigv4', got ${describe(v)}`,
      { type: "array", items: { type: "string", pattern: "#" } },
    ),
  },
  optionalAuth: { annotation: "only", ...shapesOnly(["operation"], "operations"), check: isTrue },
  idempotencyToken: { annotation: "only", ...shapeOrMemberTargeting(["string"], "members that target strings"), check: isTrue },
  idempotent: { annotation: "only", ...shapesOnly(["operation"], "operations"), check: isTrue },
  readonly: { annotation: "only", ...shapesOnly(["operation"], "operations"), check: isTrue },
  jsonName: { ...membersOf(["structure", "union"], "members of structures and unions"), check: isString },
  timestampFormat: {
    ...shapeOrMemberTargeting(["timestamp"], "timestamp shapes and members that target them"),
    check: isOneOf(["date-time", "http-date", "epoch-seconds"]),
  },
  mediaType: { ...shapeOrMemberTargeting(["string", "blob"], "string and blob shapes"), check: isString },
  sparse: { annotation: "only", ...shapesOnly(["list", "map"], "list and map shapes"), check: isTrue },
  uniqueItems: { annotation: "only", ...shapesOnly(["list"], "list shapes"), check: isTrue },
  paginated: { ...shapesOnly(["operation", "service"], "operations and services"), check: isAnything },
  examples: {
    ...shapesOnly(["operation"], "operations"),
    check: valueCheck((v) => (Array.isArray(v) ? undefined : `expected a list of examples, got ${describe(v)}`), { type: "array" }),
  },
  title: { ...anywhere, check: isString },
  since: { ...anywhere, check: isString },
  tags: {
    ...anywhere,
    check: valueCheck((v) => (Array.isArray(v) && v.every((t) => typeof t === "string") ? undefined : `expected a list of strings, got ${describe(v)}`), {
      type: "array",
      items: { type: "string" },
    }),
  },
  internal: { annotation: "only", ...anywhere, check: isTrue },
  unstable: { annotation: "only", ...anywhere, check: isTrue },
  recommended: { annotation: "or-object", ...anywhere, check: isObjectWith({ reason: "string" }) },
  mixin: {
    annotation: "or-object",
    ...notContainer,
    appliesTo: "shapes other than operations and services",
    check: valueCheck(
      (v) =>
        v === true || (isPlainObject(v) && Object.keys(v).every((k) => k === "localTraits") && (v.localTraits === undefined || (Array.isArray(v.localTraits) && v.localTraits.every((t) => typeof t === "string"))))
          ? undefined
          : `expected true or { localTraits: [trait ids] }, got ${describe(v)}`,
      { oneOf: [{ const: true }, { type: "object", properties: { localTraits: { type: "array", items: { type: "string" } } }, additionalProperties: false }] },
    ),
  },
  xmlNamespace: { ...anywhere, check: isAnything },
  suppress: { ...anywhere, check: isAnything },
  references: { ...anywhere, check: isAnything },
  externalDocumentation: { ...anywhere, check: isAnything },
};

const PRELUDE_NAMESPACE = "smithy.api#";

/** The typed Traits record built from checked YAML-form values. */
export function buildTraits(prelude: Readonly<Record<string, unknown>>, other: Readonly<Record<ShapeId, NodeValue>>): Traits {
  const rest: Record<string, NodeValue> = {};
  const typed: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(prelude)) {
    if (TYPED_TRAITS.has(name)) typed[name] = name === "deprecated" ? toDeprecation(value) : value;
    else rest[name] = value as NodeValue;
  }
  return Object.freeze({ ...typed, prelude: Object.freeze(rest), other: Object.freeze({ ...other }) }) as Traits;
}

const TYPED_TRAITS = new Set([
  "documentation",
  "required",
  "sensitive",
  "length",
  "range",
  "pattern",
  "enumValue",
  "default",
  "deprecated",
  "error",
  "httpError",
  "input",
  "output",
  "auth",
  "optionalAuth",
]);

function toDeprecation(value: unknown): Deprecation {
  return value === true ? {} : (value as Deprecation);
}

/** Returns the traits in YAML form, prelude traits by bare name in a stable order, others by absolute id. */
export function traitsToYaml(traits: Traits): { prelude: Record<string, NodeValue>; other: Record<ShapeId, NodeValue> } {
  const prelude: Record<string, NodeValue> = {};
  for (const name of Object.keys(PRELUDE_TRAITS)) {
    const value = traitValue(traits, name);
    if (value === undefined) continue;
    prelude[name] = name === "deprecated" && Object.keys(value as object).length === 0 ? true : value;
  }
  return { prelude, other: { ...traits.other } };
}

/** Returns the traits as Smithy's JSON AST writes them, keyed by absolute trait id. */
export function traitsToAst(traits: Traits): Record<ShapeId, NodeValue> {
  const ast: Record<ShapeId, NodeValue> = {};
  for (const [name, definition] of Object.entries(PRELUDE_TRAITS)) {
    const value = traitValue(traits, name);
    if (value === undefined) continue;
    ast[PRELUDE_NAMESPACE + name] = definition.annotation !== undefined && value === true ? {} : value;
  }
  return { ...ast, ...traits.other };
}

/**
 * Converts Smithy JSON AST traits to the YAML form. Unknown prelude traits
 * are kept under their absolute id, so nothing is lost.
 */
export function traitsFromAst(ast: Readonly<Record<ShapeId, NodeValue>>): { prelude: Record<string, NodeValue>; other: Record<ShapeId, NodeValue> } {
  const prelude: Record<string, NodeValue> = {};
  const other: Record<ShapeId, NodeValue> = {};
  for (const [id, value] of Object.entries(ast)) {
    const name = id.startsWith(PRELUDE_NAMESPACE) ? id.slice(PRELUDE_NAMESPACE.length) : undefined;
    const definition = name === undefined ? undefined : PRELUDE_TRAITS[name];
    if (name === undefined || definition === undefined) {
      other[id] = value;
    } else if (definition.annotation === "only" || (definition.annotation === "or-object" && isPlainObject(value) && Object.keys(value).length === 0)) {
      prelude[name] = true;
    } else {
      prelude[name] = value;
    }
  }
  return { prelude, other };
}

function traitValue(traits: Traits, name: string): NodeValue | undefined {
  if (TYPED_TRAITS.has(name)) return (traits as unknown as Record<string, NodeValue | undefined>)[name];
  return traits.prelude[name];
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Describes a value's kind for messages: "a string", "a list", "null". */
export function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return `the string '${value.length > 40 ? `${value.slice(0, 40)}...` : value}'`;
  return `${typeof value === "number" ? "the number" : "the boolean"} ${String(value)}`;
}
