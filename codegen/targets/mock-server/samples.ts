/**
 * Deterministic sample values built from a shape, for answers of operations
 * that have no behaviour handler. Samples satisfy length, range, enum and,
 * where one of a few candidate strings matches, pattern constraints.
 */
import type { Member, Model, Shape, ShapeId, StructureShape } from "../../model/ir.js";
import { PRELUDE_SHAPES } from "../../model/ir.js";
import { compilePattern } from "../../model/patterns.js";

/** Samples stop descending into optional members below this depth, which ends recursive shapes. */
const MAX_SAMPLE_DEPTH = 4;

/** Returns a TypeScript expression of a sample value of the shape. */
export function sampleExpression(model: Model, id: ShapeId, memberName = "value", depth = 0): string {
  const shape = model.shapes.get(id);
  const type = shape?.type ?? PRELUDE_SHAPES.get(id);
  switch (type) {
    case "structure":
      return structureSample(model, shape as StructureShape, depth);
    case "union": {
      const first = (shape as StructureShape).members[0];
      return first ? `{ ${first.name}: ${sampleExpression(model, first.target, first.name, depth + 1)} }` : "{}";
    }
    case "list": {
      const member = (shape as Extract<Shape, { type: "list" }>).member;
      const min = shape!.traits.length?.min ?? 0;
      return depth >= MAX_SAMPLE_DEPTH && min === 0 ? "[]" : `[${sampleExpression(model, member.target, memberName, depth + 1)}]`;
    }
    case "map": {
      const map = shape as Extract<Shape, { type: "map" }>;
      const min = map.traits.length?.min ?? 0;
      if (depth >= MAX_SAMPLE_DEPTH && min === 0) return "{}";
      return `{ ${JSON.stringify(sampleString(map.key.target === undefined ? undefined : model.shapes.get(map.key.target), "key"))}: ${sampleExpression(model, map.value.target, memberName, depth + 1)} }`;
    }
    case "enum":
    case "intEnum": {
      const first = (shape as Extract<Shape, { type: "enum" | "intEnum" }>).members[0];
      return JSON.stringify(first?.traits.enumValue ?? first?.name ?? "");
    }
    case "string":
      return JSON.stringify(sampleString(shape, memberName));
    case "boolean":
      return "false";
    case "byte":
    case "short":
    case "integer":
    case "long":
    case "float":
    case "double":
      return String(sampleNumber(shape));
    case "bigInteger":
      return `${BigInt(Math.trunc(sampleNumber(shape)))}n`;
    case "bigDecimal":
      return JSON.stringify(String(sampleNumber(shape)));
    case "timestamp":
      return "new Date(0)";
    case "blob":
      return `new Uint8Array(${shape?.traits.length?.min ?? 0})`;
    case "document":
      return "{}";
    default:
      throw new Error(`shape '${id}' has no sample value`);
  }
}

function structureSample(model: Model, shape: StructureShape, depth: number): string {
  const members = shape.members.filter((m: Member) => m.traits.required || depth < MAX_SAMPLE_DEPTH);
  const entries = members.map((m) => `${m.name}: ${sampleExpression(model, m.target, m.name, depth + 1)}`);
  return `{ ${entries.join(", ")} }`;
}

function sampleNumber(shape: Shape | undefined): number {
  const { min, max } = shape?.traits.range ?? {};
  if (min !== undefined && min > 0) return min;
  if (max !== undefined && max < 0) return max;
  return 0;
}

/**
 * Picks the first candidate that fits the shape's length and pattern: the
 * member's name first, so samples read naturally, then generic strings.
 */
export function sampleString(shape: Shape | undefined, memberName: string): string {
  const { min = 0, max = Infinity } = shape?.traits.length ?? {};
  const pattern = patternOf(shape);
  const candidates = [memberName, "example", "a", "1", "A1", "a1b2c3", "user@example.com", "example-1", "us-east-1_example", "+15555550123"];
  for (const candidate of candidates) {
    const fitted = fitLength(candidate, min, max);
    if (fitted !== undefined && (pattern === undefined || pattern.test(fitted))) return fitted;
  }
  // NOTE: none of the candidates matches this pattern, so the sample satisfies the length but not the pattern.
  return fitLength("a", min, max) ?? "";
}

function patternOf(shape: Shape | undefined): RegExp | undefined {
  if (shape?.traits.pattern === undefined) return undefined;
  const compiled = compilePattern(shape.traits.pattern);
  return compiled.ok ? new RegExp(compiled.source, compiled.flags) : undefined;
}

function fitLength(candidate: string, min: number, max: number): string | undefined {
  let text = candidate;
  while ([...text].length < min) text += candidate;
  const points = [...text];
  if (points.length > max) text = points.slice(0, max).join("");
  return [...text].length >= min ? text : undefined;
}
