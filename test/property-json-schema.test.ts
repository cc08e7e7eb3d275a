/**
 * Property tests: the generated validators and ajv, compiled on the emitted
 * JSON Schema, give the same verdict on random valid and invalid values of
 * every structure.
 *
 * The validators take typed values and the schema describes their awsJson
 * form, so each typed value is mapped to JSON before ajv checks it, the way the
 * serializer sends it:
 * - Uint8Array (blob) -> padded base64 text;
 * - Date (timestamp) -> epoch seconds, and an invalid Date -> null;
 * - bigint (bigInteger) and a decimal string (bigDecimal) -> a JSON number;
 * - NaN and the infinities of a float or double -> "NaN", "Infinity", "-Infinity";
 * - a null or undefined structure member is left out; in a list or map it is null.
 * Values of the wrong type are drawn from JSON types that the shape's JSON form
 * does not use (no strings for a blob, no numbers for a bigDecimal), so the
 * mapping never turns a wrong value into a right one.
 */
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import type { EnumShape, ListShape, MapShape, Model, Shape, StructureShape } from "../codegen/model/ir.js";
import { compilePattern } from "../codegen/model/patterns.js";
import { constrainedTarget, effectiveRange, mustBePresent } from "../codegen/targets/common/constraints.js";
import { committedModel, generateAndLoad, wholeCognitoModel, type Generated } from "./validators-harness.js";

const SEED = 20240601;

/** Generous limits: the comparison takes a few seconds on an idle machine, and speed is measured in bench/, not here. */
const TIMEOUT = 120_000;

/** Characters that stress length counting and patterns: astral, lone surrogates, backslash, whitespace, controls. */
const TRICKY = ["😀", "𝔘", "\uD800", "\uDC00", "\\", " ", "\t", "\n", "\r", "\u0000", "\u001F", "\u007F", "\u00A0", "\u2028", "é", "e\u0301", "a", "Z", "0", "_", "+", "=", "/", "-", "@", "."];

const WRONG_TYPES = {
  boolean: fc.boolean(),
  number: fc.constantFrom(7, -1.5),
  string: fc.constantFrom("x", "", "NaN"),
  array: fc.constant([1, "a"]),
  object: fc.constant({ unexpected: true }),
};
type JsonType = keyof typeof WRONG_TYPES;

/** Returns the JSON types that a shape's JSON form may take. A wrong value is drawn from the other types. */
function jsonTypesOf(shape: Shape): JsonType[] {
  switch (shape.type) {
    case "structure":
    case "union":
    case "map":
      return ["object"];
    case "list":
      return ["array"];
    case "boolean":
      return ["boolean"];
    case "string":
    case "enum":
    case "blob":
      return ["string"];
    case "float":
    case "double":
    case "bigDecimal":
      return ["number", "string"];
    case "document":
      return ["boolean", "number", "string", "array", "object"];
    default:
      return ["number"];
  }
}

function wrongType(shape: Shape): fc.Arbitrary<unknown> {
  const allowed = new Set(jsonTypesOf(shape));
  const others = (Object.keys(WRONG_TYPES) as JsonType[]).filter((t) => !allowed.has(t)).map((t) => WRONG_TYPES[t]);
  return others.length === 0 ? fc.constant(undefined) : fc.oneof(...others);
}

/** Random values of a shape: mostly of the right type and near its bounds, sometimes of the wrong type. */
class Arbitraries {
  private readonly cache = new Map<string, fc.Arbitrary<unknown>>();

  constructor(private readonly model: Model) {}

  of(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    const key = `${shape.id}@${depth}`;
    let arbitrary = this.cache.get(key);
    if (arbitrary === undefined) {
      arbitrary = fc.oneof({ weight: 12, arbitrary: this.valueOf(shape, depth) }, { weight: 1, arbitrary: wrongType(shape) });
      this.cache.set(key, arbitrary);
    }
    return arbitrary;
  }

  private valueOf(shape: Shape, depth: number): fc.Arbitrary<unknown> {
    switch (shape.type) {
      case "structure":
        return this.structure(shape, depth);
      case "union":
        return this.union(shape, depth);
      case "list":
        return this.list(shape, depth);
      case "map":
        return this.map(shape, depth);
      case "enum":
        return fc.oneof(fc.constantFrom(...enumValues(shape)), fc.constantFrom("", "not-a-value", "sms"));
      case "intEnum":
        return fc.oneof(fc.constantFrom(...enumValues(shape)), fc.integer({ min: -3, max: 1000 }), fc.constant(1.5));
      case "string":
        return stringValues(shape);
      case "blob":
        return blobValues(shape);
      case "boolean":
        return fc.boolean();
      case "byte":
      case "short":
      case "integer":
      case "long":
        return integerValues(shape);
      case "float":
      case "double":
        return fc.oneof(fc.double(), fc.constantFrom(Number.NaN, Infinity, -Infinity), integerValues(shape));
      case "bigInteger":
        return integerValues(shape).map((n) => (Number.isInteger(n) ? BigInt(n) : n));
      case "bigDecimal":
        return fc.oneof(integerValues(shape).map(String), fc.constantFrom("1.5", "-0.25e1", "abc", "1."));
      case "timestamp":
        return fc.date({ min: new Date(-1e13), max: new Date(1e13), noInvalidDate: false });
      case "document":
        return fc.jsonValue({ maxDepth: 2 });
      case "operation":
      case "resource":
      case "service":
        throw new Error(`'${shape.id}' is not a value`);
      default:
        return shape satisfies never;
    }
  }

  private member(container: Shape, member: StructureShape["members"][number], depth: number): fc.Arbitrary<unknown> {
    return this.of(constrainedTarget(this.model, container, member), depth + 1);
  }

  private structure(shape: StructureShape, depth: number): fc.Arbitrary<unknown> {
    const entries: Record<string, fc.Arbitrary<unknown>> = {};
    for (const member of shape.members) {
      const value = depth > 3 ? fc.constant(undefined) : this.member(shape, member, depth);
      // A required member is mostly present; an optional one about half the time; either is sometimes null.
      entries[member.name] = mustBePresent(member)
        ? fc.oneof({ weight: 10, arbitrary: value }, { weight: 1, arbitrary: fc.constantFrom(undefined, null) })
        : fc.oneof(value, fc.constantFrom(undefined, null));
    }
    return fc.record(entries, { requiredKeys: [] });
  }

  private union(shape: StructureShape, depth: number): fc.Arbitrary<unknown> {
    const single = shape.members.map((member) => (depth > 3 ? fc.constant({}) : this.member(shape, member, depth).map((value) => ({ [member.name]: value }))));
    const two = fc.tuple(fc.constantFrom(...shape.members), fc.constantFrom(...shape.members)).map(([a, b]) => ({ [a.name]: "x", [b.name]: 1 }));
    return fc.oneof({ weight: 8, arbitrary: fc.oneof(...single) }, { weight: 1, arbitrary: fc.constant({}) }, { weight: 1, arbitrary: two });
  }

  private list(shape: ListShape, depth: number): fc.Arbitrary<unknown> {
    const item = depth > 3 ? fc.constant(null) : this.of(constrainedTarget(this.model, shape, shape.member), depth + 1);
    const items = fc.oneof({ weight: 10, arbitrary: item }, { weight: 1, arbitrary: fc.constant(null) });
    const { min = 0, max } = shape.traits.length ?? {};
    const maxLength = Math.min(max === undefined ? 4 : max + 1, Math.max(min + 1, 4));
    return fc.array(items, { maxLength });
  }

  private map(shape: MapShape, depth: number): fc.Arbitrary<unknown> {
    const keyShape = constrainedTarget(this.model, shape, shape.key);
    const keys = fc.oneof(keyShape.type === "enum" ? fc.constantFrom(...enumValues(keyShape as EnumShape).map(String)) : stringValues(keyShape), fc.constantFrom("", "k"));
    const value = depth > 3 ? fc.constant(null) : this.of(constrainedTarget(this.model, shape, shape.value), depth + 1);
    const values = fc.oneof({ weight: 10, arbitrary: value }, { weight: 1, arbitrary: fc.constant(null) });
    return fc.dictionary(keys.filter((k): k is string => typeof k === "string" && k !== "__proto__"), values, { maxKeys: 3 });
  }
}

function enumValues(shape: EnumShape): (string | number)[] {
  return shape.members.map((m) => m.traits.enumValue ?? m.name);
}

/** Strings near the length bounds, made of tricky characters, and strings the pattern matches. */
function stringValues(shape: Shape): fc.Arbitrary<string> {
  const { min = 0, max } = shape.traits.length ?? {};
  const pieces = fc.oneof(fc.constantFrom(...TRICKY), fc.string({ unit: "grapheme-ascii", maxLength: 3 }));
  const random = fc.array(pieces, { maxLength: 8 }).map((parts) => parts.join(""));
  const lengths = [min - 1, min, min + 1, ...(max !== undefined && max <= 4096 ? [max - 1, max, max + 1] : [])].filter((n) => n >= 0);
  const repeated = fc.tuple(fc.constantFrom(...TRICKY), fc.constantFrom(...lengths)).map(([char, n]) => char.repeat(n));
  const choices: fc.Arbitrary<string>[] = [random, repeated];

  if (shape.traits.pattern !== undefined) {
    const compiled = compilePattern(shape.traits.pattern);
    if (compiled.ok) {
      try {
        const matching = fc.stringMatching(new RegExp(compiled.source, compiled.flags.replace("s", "")));
        fc.sample(matching, { numRuns: 1, seed: SEED });
        choices.push(matching, matching);
      } catch {
        // NOTE: fast-check cannot generate from some patterns; those shapes get random strings only.
      }
    }
  }
  return fc.oneof(...choices);
}

function blobValues(shape: Shape): fc.Arbitrary<Uint8Array> {
  const { min = 0, max } = shape.traits.length ?? {};
  const lengths = [min - 1, min, min + 1, ...(max !== undefined && max <= 4096 ? [max - 1, max, max + 1] : [])].filter((n) => n >= 0);
  return fc.oneof(fc.uint8Array({ maxLength: 7 }), fc.constantFrom(...lengths).map((n) => new Uint8Array(n).fill(65)));
}

function integerValues(shape: Shape): fc.Arbitrary<number> {
  const { min, max } = effectiveRange(shape);
  const edges = [min, max].filter((n): n is number => n !== undefined).flatMap((n) => [n - 1, n, n + 1]);
  return fc.oneof(fc.integer({ min: -1000, max: 1000 }), fc.constantFrom(0, 1.5, 2 ** 31, -(2 ** 31) - 1, ...edges));
}

/** Maps a typed value to its awsJson form, as the module comment describes. */
function toJson(model: Model, shape: Shape, value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (shape.type) {
    case "structure":
    case "union": {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        if (item === null || item === undefined) continue;
        const member = shape.members.find((m) => m.name === key);
        out[key] = member === undefined ? item : toJson(model, constrainedTarget(model, shape, member), item);
      }
      return out;
    }
    case "list":
      return Array.isArray(value) ? value.map((item) => toJson(model, constrainedTarget(model, shape, shape.member), item)) : value;
    case "map":
      return isPlainObject(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(model, constrainedTarget(model, shape, shape.value), v)])) : value;
    case "blob":
      return value instanceof Uint8Array ? Buffer.from(value).toString("base64") : value;
    case "timestamp":
      if (!(value instanceof Date)) return value;
      return Number.isNaN(value.getTime()) ? null : value.getTime() / 1000;
    case "float":
    case "double":
      if (typeof value !== "number" || Number.isFinite(value)) return value;
      if (Number.isNaN(value)) return "NaN";
      return value > 0 ? "Infinity" : "-Infinity";
    case "bigInteger":
      return typeof value === "bigint" ? Number(value) : value;
    case "bigDecimal":
      return typeof value === "string" && /^-?\d+(\.\d+)?([eE][-+]?\d+)?$/.test(value) ? Number(value) : value;
    default:
      return value;
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

function schemaValidators(generated: Generated): (name: string) => ValidateFunction {
  const ajv = new Ajv2020({ strict: true, unicodeRegExp: true, validateFormats: false });
  ajv.addSchema(generated.schema);
  const id = generated.schema.$id as string;
  return (name) => ajv.getSchema(`${id}#/$defs/${name}`)!;
}

/** Checks that both validators agree on random values of every structure and union; returns the verdict counts. */
function compareAll(generated: Generated, numRuns: number): { valid: number; invalid: number; structures: number } {
  const arbitraries = new Arbitraries(generated.model);
  const schemaFor = schemaValidators(generated);
  const counts = { valid: 0, invalid: 0, structures: 0 };
  const structures = [...generated.model.shapes.values()].filter((s): s is StructureShape => (s.type === "structure" || s.type === "union") && generated.validators.has(s.name));

  for (const shape of structures) {
    counts.structures++;
    const validate = generated.validators.get(shape.name)!;
    const schema = schemaFor(shape.name);
    fc.assert(
      fc.property(arbitraries.of(shape, 0), (value) => {
        const issues = validate(value);
        const json = toJson(generated.model, shape, value);
        const accepted = schema(json);
        if (accepted) counts.valid++;
        else counts.invalid++;
        expect(issues.length === 0, `${shape.name}: validator issues ${JSON.stringify(issues)}; ajv errors ${JSON.stringify(schema.errors)}`).toBe(accepted);
      }),
      { seed: SEED, numRuns },
    );
  }
  return counts;
}

describe("validators against ajv on the JSON Schema", () => {
  let forgotPassword: Generated;
  let whole: Generated;

  beforeAll(async () => {
    forgotPassword = await generateAndLoad(await committedModel(), "cognito-identity-provider");
    whole = await generateAndLoad(await wholeCognitoModel(), "cognito-whole");
  }, TIMEOUT);

  it("agree on every structure of the committed model", () => {
    const counts = compareAll(forgotPassword, 100);

    expect(counts.structures).toBeGreaterThanOrEqual(5);
    expect(counts.valid).toBeGreaterThan(counts.structures * 10);
    expect(counts.invalid).toBeGreaterThan(counts.structures * 10);
  }, TIMEOUT);

  it("agree on every structure of the whole Cognito model", () => {
    const counts = compareAll(whole, 20);

    expect(counts.structures).toBeGreaterThanOrEqual(300);
    expect(counts.valid).toBeGreaterThan(1000);
    expect(counts.invalid).toBeGreaterThan(1000);
  }, TIMEOUT);

  it("have a schema entry for every validator", () => {
    for (const generated of [forgotPassword, whole]) {
      const defs = generated.schema.$defs as Record<string, unknown>;
      const missing = [...generated.validators.keys()].filter((name) => !(name in defs));
      expect(missing).toEqual([]);
    }
  });

  it("agree on ForgotPasswordRequest strings of tricky characters", () => {
    const validate = forgotPassword.validators.get("ForgotPasswordRequest")!;
    const schema = schemaValidators(forgotPassword)("ForgotPasswordRequest");
    const username = fc.array(fc.constantFrom(...TRICKY), { maxLength: 130 }).map((parts) => parts.join(""));
    let accepted = 0;

    fc.assert(
      fc.property(username, (name) => {
        const value = { ClientId: "abc", Username: name };
        const verdict = schema(value);
        if (verdict) accepted++;
        expect(validate(value).length === 0, JSON.stringify(name)).toBe(verdict);
      }),
      { seed: SEED, numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(0);
  });
});
