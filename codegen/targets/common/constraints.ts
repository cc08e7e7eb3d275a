/**
 * The constraints that apply to a value, shared by the targets that enforce
 * them (validators) and the ones that describe them (json-schema).
 */
import type { Bounds, Member, Model, Shape, ShapeId, SimpleType, Traits } from "../../model/ir.js";
import { PRELUDE_SHAPES } from "../../model/ir.js";

/** Bounds that every value of an integer type has, whatever its `range` trait: the width of the type. */
export const INTEGER_WIDTH: Readonly<Partial<Record<SimpleType, Required<Bounds>>>> = {
  byte: { min: -128, max: 127 },
  short: { min: -32768, max: 32767 },
  integer: { min: -2147483648, max: 2147483647 },
};

/** Returns the shape a member or reference targets, with a trait-less stand-in for prelude shapes such as `smithy.api#String`. */
export function resolveShape(model: Model, id: ShapeId): Shape | undefined {
  const shape = model.shapes.get(id);
  if (shape !== undefined) return shape;
  const type = PRELUDE_SHAPES.get(id);
  if (type === undefined) return undefined;
  return { id, name: `Prelude${type[0]!.toUpperCase()}${type.slice(1)}`, namespace: "smithy.api", type, traits: { prelude: {}, other: {} } };
}

/** Returns true when a member carries its own `length`, `range` or `pattern`, which take precedence over its target's. */
export function hasOwnConstraints(member: Member): boolean {
  return member.traits.length !== undefined || member.traits.range !== undefined || member.traits.pattern !== undefined;
}

/**
 * Returns the shape that checks a member's value: its target, or, when the
 * member carries its own constraints, a copy of the target with those traits
 * in place of the target's, named `<Container>_<Member>`.
 */
export function constrainedTarget(model: Model, container: Shape, member: Member): Shape {
  const target = resolveShape(model, member.target);
  if (target === undefined) throw new Error(`member '${member.id}' targets '${member.target}', which is not in the model`);
  if (!hasOwnConstraints(member)) return target;

  const traits: Traits = {
    ...target.traits,
    ...(member.traits.length !== undefined ? { length: member.traits.length } : {}),
    ...(member.traits.range !== undefined ? { range: member.traits.range } : {}),
    ...(member.traits.pattern !== undefined ? { pattern: member.traits.pattern } : {}),
  };
  return { ...target, id: member.id, name: `${container.name}_${member.name}`, traits } as Shape;
}

/** Returns true when a structure member must be present: `required` without a `default`, since the default fills the gap. */
export function mustBePresent(member: Member): boolean {
  return member.traits.required === true && member.traits.default === undefined;
}

/** Returns the members of a shape that point at other shapes: structure and union members, a list's member, a map's key and value. */
export function membersOf(shape: Shape): readonly Member[] {
  switch (shape.type) {
    case "structure":
    case "union":
      return shape.members;
    case "list":
      return [shape.member];
    case "map":
      return [shape.key, shape.value];
    default:
      return [];
  }
}

/** Returns the effective range of a number shape: its `range` trait narrowed by the width of its type. */
export function effectiveRange(shape: Shape): Bounds {
  const width = INTEGER_WIDTH[shape.type as SimpleType];
  const range = shape.traits.range ?? {};
  if (width === undefined) return range;
  return { min: Math.max(width.min, range.min ?? width.min), max: Math.min(width.max, range.max ?? width.max) };
}
