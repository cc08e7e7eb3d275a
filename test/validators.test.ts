/**
 * The validators target on a small hand-written model that has every
 * constraint on every shape kind, and on the committed Cognito package.
 */
import { formatValidationMessage, validateForgotPasswordRequest } from "cognito-identity-provider";
import { beforeAll, describe, expect, it } from "vitest";
import { generateAndLoad, modelFromTexts, SERVICE_YAML, type Generated, type Issue } from "./validators-harness.js";

const SHAPES = `namespace: example.test
shapes:
  Everything:
    type: structure
    members:
      Name: { target: NameType, required: true }
      Secret: { target: SecretType }
      Token: { target: NameType, sensitive: true }
      Code: { target: String, length: { min: 2, max: 3 }, pattern: "^[0-9]+$" }
      Data: { target: DataBlob }
      Tags: { target: TagList }
      Unique: { target: UniqueList }
      Sparse: { target: SparseList }
      Labels: { target: LabelMap }
      SparseLabels: { target: SparseLabelMap }
      Color: { target: Color }
      Level: { target: Level }
      Count: { target: CountType }
      Tiny: { target: Byte }
      Ratio: { target: RatioType }
      Huge: { target: HugeType }
      Price: { target: PriceType }
      When: { target: Timestamp }
      Enabled: { target: Boolean }
      Mode: { target: ModeType, required: true, default: FAST }
      Next: { target: Everything }
      Choice: { target: Choice }
      Extra: { target: Document }
  NameType:
    type: string
    length: { min: 1, max: 5 }
    pattern: "[a-z]"
  SecretType:
    type: string
    sensitive: true
    pattern: "^[a-z]+$"
  DataBlob:
    type: blob
    length: { min: 1, max: 4 }
  TagList:
    type: list
    member: NameType
    length: { min: 1, max: 2 }
  UniqueList:
    type: list
    member: Integer
    uniqueItems: true
  SparseList:
    type: list
    member: NameType
    sparse: true
  LabelMap:
    type: map
    key: NameType
    value: Integer
    length: { max: 1 }
  SparseLabelMap:
    type: map
    key: String
    value: Integer
    sparse: true
  Color:
    type: enum
    members:
      RED: { enumValue: red }
      GREEN: { enumValue: green }
  Level:
    type: intEnum
    members:
      LOW: { enumValue: 1 }
      HIGH: { enumValue: 10 }
  ModeType:
    type: enum
    members:
      FAST: { enumValue: FAST }
  CountType:
    type: integer
    range: { min: 1, max: 10 }
  RatioType:
    type: double
    range: { min: 0, max: 1 }
  HugeType:
    type: bigInteger
    range: { min: 0, max: 100 }
  PriceType:
    type: bigDecimal
    range: { min: 0.5 }
  Choice:
    type: union
    members:
      Text: { target: NameType }
      Number: { target: Integer }
`;

let generated: Generated;
let validate: (value: unknown) => Issue[];

/** Returns the one issue of a value, failing when it has none or several. */
function onlyIssue(value: unknown): Issue {
  const issues = validate(value);
  expect(issues, JSON.stringify(issues, (_, v: unknown) => (typeof v === "bigint" ? `${v}n` : v))).toHaveLength(1);
  return issues[0]!;
}

function message(value: unknown): string {
  return generated.formatValidationMessage(validate(value));
}

const VALID = { Name: "ab" };

beforeAll(async () => {
  generated = await generateAndLoad(modelFromTexts([{ file: "service.yaml", text: SERVICE_YAML }, { file: "shapes.yaml", text: SHAPES }]));
  validate = generated.validators.get("Everything")!;
});

describe("validators on a hand-written model", () => {
  it("accepts a value with only the required member", () => {
    expect(validate(VALID)).toEqual([]);
  });

  it("reports a missing required member as null", () => {
    expect(message({})).toBe("1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null");
  });

  it("treats a required member with a default as present", () => {
    expect(validate({ Name: "ab", Mode: null })).toEqual([]);
  });

  it("counts string length in code points", () => {
    expect(validate({ Name: "😀😀😀😀a" })).toEqual([]);
    expect(onlyIssue({ Name: "😀😀😀😀😀a" })).toMatchObject({ path: "name", constraint: "length", limit: 5 });
    expect(validate({ Name: "" })[0]).toMatchObject({ constraint: "length", limit: 1, message: "Member must have length greater than or equal to 1" });
  });

  it("counts a lone surrogate as one code point", () => {
    expect(onlyIssue({ Name: "a\uD800\uD800\uD800\uD800\uD800" })).toMatchObject({ constraint: "length", limit: 5 });
  });

  it("does not anchor a pattern implicitly", () => {
    expect(validate({ Name: "A1b" })).toEqual([]);
    expect(onlyIssue({ Name: "A1" })).toMatchObject({ constraint: "pattern", limit: "[a-z]" });
  });

  it("checks length before the pattern and skips the pattern past the maximum", () => {
    expect(validate({ Name: "ABCDEF" }).map((i) => i.constraint)).toEqual(["length"]);
  });

  it("applies a member's own length and pattern over its target's", () => {
    expect(validate({ ...VALID, Code: "12" })).toEqual([]);
    expect(onlyIssue({ ...VALID, Code: "1" })).toMatchObject({ path: "code", constraint: "length", limit: 2 });
    expect(onlyIssue({ ...VALID, Code: "ab" })).toMatchObject({ path: "code", constraint: "pattern", limit: "^[0-9]+$" });
  });

  it("shows values of members that are not sensitive", () => {
    expect(message({ Name: "A1" })).toBe("1 validation error detected: Value 'A1' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]");
  });

  it("never shows values of sensitive shapes or members", () => {
    expect(message({ ...VALID, Secret: "ABC", Token: "XYZ" })).toBe(
      "2 validation errors detected: Value at 'secret' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]+; " +
        "Value at 'token' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-z]",
    );
    expect(onlyIssue({ ...VALID, Secret: "ABC" })).not.toHaveProperty("value");
  });

  it("counts blob length in bytes", () => {
    expect(validate({ ...VALID, Data: new Uint8Array(4) })).toEqual([]);
    expect(onlyIssue({ ...VALID, Data: new Uint8Array(5) })).toMatchObject({ path: "data", constraint: "length", limit: 4 });
    expect(onlyIssue({ ...VALID, Data: new Uint8Array(0) })).toMatchObject({ constraint: "length", limit: 1 });
    expect(onlyIssue({ ...VALID, Data: "AAAA" })).toMatchObject({ constraint: "type", message: "Member must be a Uint8Array, got string" });
  });

  it("counts list length in entries and checks every item", () => {
    expect(onlyIssue({ ...VALID, Tags: [] })).toMatchObject({ path: "tags", constraint: "length", limit: 1 });
    expect(onlyIssue({ ...VALID, Tags: ["a", "b", "c"] })).toMatchObject({ path: "tags", constraint: "length", limit: 2 });
    expect(onlyIssue({ ...VALID, Tags: ["a", "B"] })).toMatchObject({ path: "tags.2.member", constraint: "pattern" });
    expect(onlyIssue({ ...VALID, Tags: ["a", null] })).toMatchObject({ path: "tags.2.member", constraint: "required" });
  });

  it("rejects duplicate items of a uniqueItems list", () => {
    expect(validate({ ...VALID, Unique: [1, 2, 3] })).toEqual([]);
    expect(onlyIssue({ ...VALID, Unique: [1, 2, 1] })).toMatchObject({ path: "unique", constraint: "uniqueItems", message: "Member must have unique items" });
  });

  it("accepts null items of sparse lists and maps only", () => {
    expect(validate({ ...VALID, Sparse: ["a", null], SparseLabels: { a: null, b: 1 } })).toEqual([]);
    expect(onlyIssue({ ...VALID, Labels: { a: null } })).toMatchObject({ path: "labels.a", constraint: "required" });
  });

  it("counts map length in entries and checks keys and values", () => {
    expect(validate({ ...VALID, Labels: {} })).toEqual([]);
    expect(onlyIssue({ ...VALID, Labels: { a: 1, b: 2 } })).toMatchObject({ path: "labels", constraint: "length", limit: 1 });
    expect(onlyIssue({ ...VALID, Labels: { A: 1 } })).toMatchObject({ path: "labels.A", constraint: "pattern" });
    expect(onlyIssue({ ...VALID, Labels: { a: "1" } })).toMatchObject({ path: "labels.a", constraint: "type" });
  });

  it("checks enum and intEnum values", () => {
    expect(validate({ ...VALID, Color: "red", Level: 10 })).toEqual([]);
    expect(onlyIssue({ ...VALID, Color: "RED" })).toMatchObject({ constraint: "enum", limit: ["red", "green"], message: "Member must satisfy enum value set: [red, green]" });
    expect(onlyIssue({ ...VALID, Level: 2 })).toMatchObject({ constraint: "enum", limit: ["1", "10"] });
  });

  it("checks ranges of every number type", () => {
    expect(validate({ ...VALID, Count: 10, Ratio: 0.5, Huge: 100n, Price: "0.5", Tiny: -128 })).toEqual([]);
    expect(onlyIssue({ ...VALID, Count: 11 })).toMatchObject({ path: "count", constraint: "range", limit: 10, message: "Member must have value less than or equal to 10" });
    expect(onlyIssue({ ...VALID, Count: 1.5 })).toMatchObject({ constraint: "type", limit: "an integer" });
    expect(onlyIssue({ ...VALID, Tiny: 128 })).toMatchObject({ path: "tiny", constraint: "range", limit: 127 });
    expect(onlyIssue({ ...VALID, Ratio: -0.1 })).toMatchObject({ constraint: "range", limit: 0, message: "Member must have value greater than or equal to 0" });
    expect(validate({ ...VALID, Ratio: Number.NaN }).map((i) => i.constraint)).toEqual(["range", "range"]);
    expect(onlyIssue({ ...VALID, Huge: 101n })).toMatchObject({ constraint: "range", limit: 100 });
    expect(onlyIssue({ ...VALID, Huge: 5 })).toMatchObject({ constraint: "type", limit: "a bigint" });
    expect(onlyIssue({ ...VALID, Price: "0.25" })).toMatchObject({ constraint: "range", limit: 0.5 });
    expect(onlyIssue({ ...VALID, Price: "abc" })).toMatchObject({ constraint: "type" });
  });

  it("checks timestamps and booleans by type", () => {
    expect(validate({ ...VALID, When: new Date(0), Enabled: false })).toEqual([]);
    expect(onlyIssue({ ...VALID, When: new Date(Number.NaN) })).toMatchObject({ path: "when", constraint: "type", limit: "a valid Date" });
    expect(onlyIssue({ ...VALID, Enabled: "true" })).toMatchObject({ path: "enabled", constraint: "type", message: "Member must be a boolean, got string" });
  });

  it("accepts any document", () => {
    expect(validate({ ...VALID, Extra: { nested: [1, null, "x"] } })).toEqual([]);
  });

  it("requires exactly one union member", () => {
    expect(validate({ ...VALID, Choice: { Number: 3 } })).toEqual([]);
    expect(onlyIssue({ ...VALID, Choice: {} })).toMatchObject({ path: "choice", constraint: "union", message: "Member must have exactly one member set, found 0" });
    expect(onlyIssue({ ...VALID, Choice: { Text: "a", Number: 1 } })).toMatchObject({ constraint: "union", message: "Member must have exactly one member set, found 2" });
    expect(onlyIssue({ ...VALID, Choice: { Text: "A" } })).toMatchObject({ path: "choice.text", constraint: "pattern" });
  });

  it("checks recursive structures with their paths", () => {
    expect(onlyIssue({ ...VALID, Next: { Name: "b", Next: { Name: "A" } } })).toMatchObject({ path: "next.next.name", constraint: "pattern" });
  });

  it("reports nesting past the depth limit instead of recursing", () => {
    let value: Record<string, unknown> = { Name: "a" };
    for (let i = 0; i < 100; i++) value = { Name: "a", Next: value };

    const issues = validate(value);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ constraint: "depth", limit: 64 });
  });

  it("reports values of the wrong type without throwing", () => {
    for (const value of [null, undefined, "text", 5, [], new Date(0)]) {
      expect(onlyIssue(value)).toMatchObject({ path: "", constraint: "type", limit: "an object" });
    }
    expect(onlyIssue({ Name: 5 })).toMatchObject({ path: "name", constraint: "type", message: "Member must be a string, got number" });
    expect(onlyIssue({ ...VALID, Tags: "a" })).toMatchObject({ path: "tags", constraint: "type", message: "Member must be a list, got string" });
  });

  it("lists every violation in one result", () => {
    const issues = validate({ Name: "", Count: 0, Color: "blue", Tags: [] });
    expect(issues.map((i) => `${i.path}:${i.constraint}`)).toEqual(["name:length", "name:pattern", "tags:length", "color:enum", "count:range"]);
    expect(message({ Name: "", Count: 0 })).toMatch(/^3 validation errors detected: Value '' at 'name' .*; Value '' at 'name' .*; Value '0' at 'count' failed to satisfy constraint: Member must have value greater than or equal to 1$/);
  });
});

describe("generated validator code", () => {
  it("builds patterns and enum sets once, at module level", () => {
    const source = generated.sources.get("src/validators.ts")!;
    const functions = source.slice(source.indexOf("function "));

    expect(source).toMatch(/^const PATTERN_NameType = new RegExp\("\[a-z\]", "u"\);$/m);
    expect(source).toMatch(/^const ENUM_Color = new Set<string>\(\["red", "green"\]\);$/m);
    expect(source).toMatch(/^const ENUM_Level = new Set<number>\(\[1, 10\]\);$/m);
    expect(functions).not.toMatch(/new RegExp|new Set|=>/);
  });
});

describe("validators of the generated Cognito package", () => {
  const request = (username: unknown) => ({ ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5", Username: username });

  it("accepts a backslash user name and a UUID", () => {
    expect(validateForgotPasswordRequest(request("corp\\alice"))).toEqual([]);
    expect(validateForgotPasswordRequest(request("0f8fad5b-d9cb-469f-a165-70867728950e"))).toEqual([]);
  });

  it("words a user name with a space as the service does", () => {
    expect(formatValidationMessage(validateForgotPasswordRequest(request("has space")))).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+",
    );
  });

  it("takes 128 emoji and rejects 129", () => {
    expect(validateForgotPasswordRequest(request("😀".repeat(128)))).toEqual([]);
    expect(formatValidationMessage(validateForgotPasswordRequest(request("😀".repeat(129))))).toBe(
      "1 validation error detected: Value at 'username' failed to satisfy constraint: Member must have length less than or equal to 128",
    );
  });

  it("reports a missing client id as null", () => {
    expect(formatValidationMessage(validateForgotPasswordRequest({ Username: "alice" }))).toBe(
      "1 validation error detected: Value null at 'clientId' failed to satisfy constraint: Member must not be null",
    );
  });
});
