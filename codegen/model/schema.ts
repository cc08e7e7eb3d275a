/**
 * The JSON Schema of the YAML model format, built from the trait catalogue
 * and the shape keys, so it cannot drift from what the loader accepts.
 */
import { LIFECYCLE_KEYS, SHAPE_KEYS, SHAPE_TYPES } from "./loader.js";
import { PRELUDE_TRAITS } from "./traits.js";

/** The file the model files reference with a `yaml-language-server: $schema=` comment. */
export const MODEL_SCHEMA_PATH = "codegen/model/model.schema.json";

const NAME = "^[A-Za-z_][A-Za-z0-9_]*$";
const NAMESPACE = "^[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)*$";

/** Builds the JSON Schema (draft 2020-12) of a model file. */
export function modelSchema(): Record<string, unknown> {
  const traitProperties = Object.fromEntries(Object.entries(PRELUDE_TRAITS).map(([name, definition]) => [name, { ...definition.check.schema, description: `Smithy trait smithy.api#${name}: applies to ${definition.appliesTo}.` }]));
  const otherTraits = {
    type: "object",
    description: "Traits of other namespaces, by absolute id such as aws.protocols#awsJson1_1, with their Smithy values.",
    propertyNames: { pattern: "^[A-Za-z_][A-Za-z0-9_.]*#[A-Za-z_][A-Za-z0-9_]*$" },
  };
  const reference = { type: "string", description: "A shape name in this namespace, a prelude name such as String, or an absolute id such as example.users#Name." };
  const structural: Record<string, Record<string, unknown>> = {
    members: { type: "object", propertyNames: { pattern: NAME }, additionalProperties: { $ref: "#/$defs/member" } },
    member: { $ref: "#/$defs/member" },
    key: { $ref: "#/$defs/member" },
    value: { $ref: "#/$defs/member" },
    input: reference,
    output: reference,
    errors: { type: "array", items: reference },
    operations: { type: "array", items: reference },
    version: { type: "string" },
    mixins: { type: "array", items: reference },
    resources: { type: "array", items: reference },
    collectionOperations: { type: "array", items: reference },
    identifiers: { type: "object", additionalProperties: reference },
    properties: { type: "object", additionalProperties: reference },
    ...Object.fromEntries(LIFECYCLE_KEYS.map((key) => [key, reference])),
  };
  const enumMembers = { type: "object", propertyNames: { pattern: NAME }, additionalProperties: { $ref: "#/$defs/enumMember" } };

  // Each type lists its own keys; a structural key wins over a trait of the same name (an operation's `input` names a shape).
  const byType = SHAPE_TYPES.map((type) => {
    const keys = SHAPE_KEYS.get(type) ?? [];
    const isEnum = type === "enum" || type === "intEnum";
    const ownKeys = Object.fromEntries(keys.map((k) => [k, isEnum && k === "members" ? enumMembers : structural[k]!]));
    return {
      if: { properties: { type: { const: type } } },
      then: {
        properties: { type: true, traits: otherTraits, ...traitProperties, ...ownKeys },
        additionalProperties: false,
        required: type === "list" ? ["member"] : type === "map" ? ["key", "value"] : type === "service" ? ["version"] : [],
      },
    };
  });

  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "shapegen model file",
    description: "A file of a shapegen model: a namespace and its shapes, with Smithy IDL 2.0 semantics.",
    type: "object",
    required: ["namespace"],
    additionalProperties: false,
    properties: {
      namespace: { type: "string", pattern: NAMESPACE },
      metadata: { type: "object" },
      shapes: { type: "object", propertyNames: { pattern: NAME }, additionalProperties: { $ref: "#/$defs/shape" } },
    },
    $defs: {
      shape: {
        type: "object",
        required: ["type"],
        properties: { type: { enum: SHAPE_TYPES } },
        allOf: byType,
      },
      member: {
        oneOf: [
          reference,
          { type: "object", required: ["target"], properties: { target: reference, traits: otherTraits, ...traitProperties }, additionalProperties: false },
        ],
      },
      enumMember: {
        oneOf: [{ type: "null" }, { type: "object", properties: { traits: otherTraits, ...traitProperties }, additionalProperties: false }],
      },
    },
  };
}
