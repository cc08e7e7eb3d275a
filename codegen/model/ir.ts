/**
 * The intermediate representation (IR) that every target reads.
 *
 * The loader builds it from YAML and the Smithy JSON AST reader from the
 * official models; no target ever reads either source format. Records are
 * frozen after resolution, so a target cannot change what another one reads.
 */

/** An absolute shape id, `namespace#Name`, or `namespace#Name$member` for a member. */
export type ShapeId = string;

/** A position in a model file: 1-based line and column. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Bounds of the `length` and `range` traits; either side may be open. */
export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

/** The `deprecated` trait. */
export interface Deprecation {
  readonly message?: string;
  readonly since?: string;
}

/** A node value as JSON carries it: the value of a trait or a default. */
export type NodeValue = null | boolean | number | string | readonly NodeValue[] | { readonly [key: string]: NodeValue };

/**
 * Traits of a shape or member. Prelude traits that change generated code are
 * typed fields; traits of other namespaces stay in `other`, keyed by their
 * absolute shape id, and are carried through unchanged.
 */
export interface Traits {
  readonly documentation?: string;
  readonly required?: boolean;
  readonly sensitive?: boolean;
  readonly length?: Bounds;
  readonly range?: Bounds;
  readonly pattern?: string;
  readonly enumValue?: string | number;
  readonly default?: NodeValue;
  readonly deprecated?: Deprecation;
  readonly error?: "client" | "server";
  readonly httpError?: number;
  readonly input?: boolean;
  readonly output?: boolean;
  readonly auth?: readonly ShapeId[];
  readonly optionalAuth?: boolean;
  /** Prelude traits shapegen keeps but does not interpret, by bare name (`title`, `paginated`, ...). */
  readonly prelude: Readonly<Record<string, NodeValue>>;
  /** Traits of other namespaces, by absolute id (`aws.api#service`). */
  readonly other: Readonly<Record<ShapeId, NodeValue>>;
}

/** A member of a structure, union or enum, or the member of a list or map. */
export interface Member {
  readonly name: string;
  readonly id: ShapeId;
  readonly target: ShapeId;
  readonly traits: Traits;
  readonly location?: SourceLocation;
}

interface ShapeBase {
  readonly id: ShapeId;
  readonly name: string;
  readonly namespace: string;
  readonly traits: Traits;
  readonly location?: SourceLocation;
}

export type SimpleType =
  | "string"
  | "blob"
  | "boolean"
  | "byte"
  | "short"
  | "integer"
  | "long"
  | "float"
  | "double"
  | "bigInteger"
  | "bigDecimal"
  | "timestamp"
  | "document";

export const SIMPLE_TYPES: readonly SimpleType[] = [
  "string",
  "blob",
  "boolean",
  "byte",
  "short",
  "integer",
  "long",
  "float",
  "double",
  "bigInteger",
  "bigDecimal",
  "timestamp",
  "document",
];

export interface SimpleShape extends ShapeBase {
  readonly type: SimpleType;
}

export interface StructureShape extends ShapeBase {
  readonly type: "structure" | "union";
  readonly members: readonly Member[];
}

export interface EnumShape extends ShapeBase {
  readonly type: "enum" | "intEnum";
  /** Each member carries its value in `traits.enumValue`. */
  readonly members: readonly Member[];
}

export interface ListShape extends ShapeBase {
  readonly type: "list";
  readonly member: Member;
}

export interface MapShape extends ShapeBase {
  readonly type: "map";
  readonly key: Member;
  readonly value: Member;
}

export interface OperationShape extends ShapeBase {
  readonly type: "operation";
  readonly input: ShapeId;
  readonly output: ShapeId;
  readonly errors: readonly ShapeId[];
}

export interface ServiceShape extends ShapeBase {
  readonly type: "service";
  readonly version: string;
  /** Operations bound directly to the service; see ResourceShape for the others. */
  readonly operations: readonly ShapeId[];
  readonly resources: readonly ShapeId[];
  /** Errors every operation of the service can return. */
  readonly errors: readonly ShapeId[];
}

/** A resource, kept as far as operations hang off it: its lifecycle, operations and child resources. */
export interface ResourceShape extends ShapeBase {
  readonly type: "resource";
  readonly identifiers: Readonly<Record<string, ShapeId>>;
  readonly properties: Readonly<Record<string, ShapeId>>;
  /** Lifecycle operations by name: create, put, read, update, delete, list. */
  readonly lifecycle: Readonly<Partial<Record<"create" | "put" | "read" | "update" | "delete" | "list", ShapeId>>>;
  readonly operations: readonly ShapeId[];
  readonly collectionOperations: readonly ShapeId[];
  readonly resources: readonly ShapeId[];
}

export type Shape =
  | SimpleShape
  | StructureShape
  | EnumShape
  | ListShape
  | MapShape
  | OperationShape
  | ResourceShape
  | ServiceShape;

export type ShapeType = Shape["type"];

/** The wire protocols shapegen generates serializers for. */
export type Protocol = "awsJson1_1" | "awsJson1_0";

/** A resolved model: every reference points at a shape in `shapes` or at the prelude. */
export interface Model {
  readonly shapes: ReadonlyMap<ShapeId, Shape>;
  /** The model's metadata, such as validator suppressions, merged across files. */
  readonly metadata: Readonly<Record<string, NodeValue>>;
}

/** The prelude's Unit shape: the target of enum members and of operations without input or output. */
export const UNIT: ShapeId = "smithy.api#Unit";

/** Prelude simple shapes that a member may target without declaring them. */
export const PRELUDE_SHAPES: ReadonlyMap<ShapeId, SimpleType> = new Map<ShapeId, SimpleType>([
  ["smithy.api#String", "string"],
  ["smithy.api#Blob", "blob"],
  ["smithy.api#Boolean", "boolean"],
  ["smithy.api#PrimitiveBoolean", "boolean"],
  ["smithy.api#Byte", "byte"],
  ["smithy.api#Short", "short"],
  ["smithy.api#Integer", "integer"],
  ["smithy.api#PrimitiveInteger", "integer"],
  ["smithy.api#Long", "long"],
  ["smithy.api#PrimitiveLong", "long"],
  ["smithy.api#Float", "float"],
  ["smithy.api#Double", "double"],
  ["smithy.api#BigInteger", "bigInteger"],
  ["smithy.api#BigDecimal", "bigDecimal"],
  ["smithy.api#Timestamp", "timestamp"],
  ["smithy.api#Document", "document"],
]);

/** Splits `ns#Name` into its namespace and name. */
export function splitShapeId(id: ShapeId): { namespace: string; name: string } {
  const hash = id.indexOf("#");
  return { namespace: id.slice(0, hash), name: id.slice(hash + 1) };
}
