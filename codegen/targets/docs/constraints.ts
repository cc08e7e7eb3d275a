/**
 * Describes constraint traits (length, range, pattern, enum values) in words.
 */
import { PRELUDE_SHAPES, type Bounds, type Model, type ShapeId, type ShapeType, type Traits } from "../../model/ir.js";

/** One constraint in words, followed by literal values that the page shows as code. */
export interface Constraint {
  readonly text: string;
  readonly values: readonly string[];
}

type Unit = readonly [singular: string, plural: string];

/** Smithy's `length` counts Unicode code points for strings, bytes for blobs and entries for lists and maps. */
function lengthUnit(type: ShapeType | undefined): Unit {
  switch (type) {
    case "string":
      return ["character (code point)", "characters (code points)"];
    case "blob":
      return ["byte", "bytes"];
    case "list":
    case "map":
      return ["entry", "entries"];
    default:
      return ["unit", "units"];
  }
}

function count(n: number, [singular, plural]: Unit): string {
  return `${n} ${n === 1 ? singular : plural}`;
}

/** Words for `length`: "1 to 128 characters (code points)", "at most 10 entries", ... */
export function describeLength(bounds: Bounds, type: ShapeType | undefined): string {
  const unit = lengthUnit(type);
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${count(min, unit)}` : `${min} to ${max} ${unit[1]}`;
  if (min !== undefined) return `at least ${count(min, unit)}`;
  if (max !== undefined) return `at most ${count(max, unit)}`;
  return "any length";
}

/** Words for `range`: "from 1 to 60", "at least 0", ... */
export function describeRange(bounds: Bounds): string {
  const { min, max } = bounds;
  if (min !== undefined && max !== undefined) return min === max ? `exactly ${min}` : `from ${min} to ${max}`;
  if (min !== undefined) return `at least ${min}`;
  if (max !== undefined) return `at most ${max}`;
  return "any value";
}

/** Returns the kind of a shape id, including the prelude's simple shapes. */
export function shapeTypeOf(model: Model, id: ShapeId): ShapeType | undefined {
  return model.shapes.get(id)?.type ?? PRELUDE_SHAPES.get(id);
}

/**
 * Lists the constraints that apply to a value of shape `target`. A member's
 * own `length`, `range` and `pattern` traits take precedence over those of
 * its target, as in Smithy.
 */
export function describeConstraints(model: Model, target: ShapeId, memberTraits?: Traits): Constraint[] {
  const shape = model.shapes.get(target);
  const type = shapeTypeOf(model, target);
  const length = memberTraits?.length ?? shape?.traits.length;
  const range = memberTraits?.range ?? shape?.traits.range;
  const pattern = memberTraits?.pattern ?? shape?.traits.pattern;

  const constraints: Constraint[] = [];
  if (length !== undefined) constraints.push({ text: describeLength(length, type), values: [] });
  if (range !== undefined) constraints.push({ text: describeRange(range), values: [] });
  if (pattern !== undefined) constraints.push({ text: "matching", values: [pattern] });
  if (shape?.type === "enum" || shape?.type === "intEnum") {
    constraints.push({ text: "one of", values: shape.members.map((m) => String(m.traits.enumValue ?? m.name)) });
  }
  return constraints;
}
