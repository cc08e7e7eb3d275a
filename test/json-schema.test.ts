/**
 * The json-schema target: the committed schema file, constraints on each
 * shape kind, and the translation of pattern flags into the pattern source.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { beforeAll, describe, expect, it } from "vitest";
import { blobPattern } from "../codegen/targets/json-schema/blob.js";
import { flaglessPattern } from "../codegen/targets/json-schema/pattern.js";
import { generateAndLoad, modelFromTexts, ROOT, SERVICE_YAML, type Generated } from "./validators-harness.js";

const SHAPES = `namespace: example.test
shapes:
  Request:
    type: structure
    members:
      Name: { target: NameType, required: true }
      Mode: { target: ModeType, required: true, default: FAST }
      Code: { target: String, length: { min: 2, max: 3 } }
      Data: { target: DataBlob }
      Items: { target: ItemList }
      Labels: { target: LabelMap }
      Ratio: { target: Double }
      Bounded: { target: BoundedDouble }
      Tiny: { target: Byte }
      When: { target: Timestamp }
      Iso: { target: Timestamp, timestampFormat: date-time }
      Old: { target: String, deprecated: true }
      Choice: { target: Choice }
  NameType:
    type: string
    length: { min: 1, max: 5 }
    pattern: "^[a-z]+$"
  ModeType:
    type: enum
    members:
      FAST: { enumValue: FAST }
  DataBlob:
    type: blob
    length: { min: 1, max: 4 }
  ItemList:
    type: list
    member: Integer
    length: { max: 2 }
    uniqueItems: true
    sparse: true
  LabelMap:
    type: map
    key: NameType
    value: String
    length: { min: 1 }
  BoundedDouble:
    type: double
    range: { min: 0 }
  Choice:
    type: union
    members:
      A: { target: String }
      B: { target: Integer }
`;

let generated: Generated;
let defs: Record<string, Record<string, unknown>>;

beforeAll(async () => {
  generated = await generateAndLoad(modelFromTexts([{ file: "service.yaml", text: SERVICE_YAML }, { file: "shapes.yaml", text: SHAPES }]));
  defs = generated.schema.$defs as typeof defs;
});

describe("json-schema target", () => {
  it("writes a 2020-12 document with an entry per reached shape", () => {
    expect(generated.schema.$schema).toBe("https://json-schema.org/draft/2020-12/schema");
    expect(Object.keys(defs)).toEqual([...Object.keys(defs)].sort());
    expect(defs.Request).toMatchObject({ type: "object", required: ["Name"] });
  });

  it("leaves a member with a default out of required and records the default", () => {
    expect(defs.Request!.required).not.toContain("Mode");
    expect((defs.Request!.properties as Record<string, unknown>).Mode).toEqual({ $ref: "#/$defs/ModeType", default: "FAST" });
  });

  it("writes string, member, list and map constraints", () => {
    expect(defs.NameType).toEqual({ type: "string", minLength: 1, maxLength: 5, pattern: "^[a-z]+$" });
    expect(defs.Request_Code).toEqual({ type: "string", minLength: 2, maxLength: 3 });
    expect(defs.ItemList).toEqual({ type: "array", items: { anyOf: [{ $ref: "#/$defs/PreludeInteger" }, { type: "null" }] }, maxItems: 2, uniqueItems: true });
    expect(defs.LabelMap).toEqual({ type: "object", propertyNames: { $ref: "#/$defs/NameType" }, additionalProperties: { $ref: "#/$defs/PreludeString" }, minProperties: 1 });
    expect(defs.ModeType).toEqual({ type: "string", enum: ["FAST"] });
  });

  it("bounds integers by the width of their type", () => {
    expect(defs.PreludeByte).toEqual({ type: "integer", minimum: -128, maximum: 127 });
  });

  it("allows the NaN and infinity strings only where no bound excludes them", () => {
    expect(defs.PreludeDouble).toEqual({ anyOf: [{ type: "number" }, { type: "string", enum: ["NaN", "Infinity", "-Infinity"] }] });
    expect(defs.BoundedDouble).toEqual({ anyOf: [{ type: "number", minimum: 0 }, { type: "string", enum: ["Infinity"] }] });
  });

  it("writes timestamps in their wire format and marks deprecated members", () => {
    const properties = defs.Request!.properties as Record<string, Record<string, unknown>>;
    expect(defs.PreludeTimestamp).toMatchObject({ type: "number" });
    expect(properties.Iso).toEqual({ type: "string", format: "date-time" });
    expect(properties.Old).toMatchObject({ deprecated: true });
  });

  it("requires exactly one union member", () => {
    expect(defs.Choice).toMatchObject({ type: "object", minProperties: 1, maxProperties: 1 });
  });

  it("compiles in ajv's strict mode and checks a value", () => {
    const ajv = new Ajv2020({ strict: true, unicodeRegExp: true, validateFormats: false });
    ajv.addSchema(generated.schema);
    const validate = ajv.getSchema(`${generated.schema.$id as string}#/$defs/Request`)!;

    expect(validate({ Name: "abc", Data: "AAAA", Items: [1, null], Labels: { ab: "x" }, Choice: { B: 1 } })).toBe(true);
    expect(validate({ Name: "abc", Items: [1, 1] })).toBe(false);
    expect(validate({ Name: "abc", Choice: { A: "x", B: 1 } })).toBe(false);
    expect(validate({ Name: "abc", Data: "AAAAAAAA" })).toBe(false);
  });
});

describe("blob length as a base64 pattern", () => {
  const matches = (bounds: { min?: number; max?: number }, bytes: number) => new RegExp(blobPattern(bounds), "u").test(Buffer.alloc(bytes, 7).toString("base64"));

  it("matches exactly the byte counts within the bounds", () => {
    const accepted = [0, 1, 2, 3, 4, 5, 6, 7, 8].filter((n) => matches({ min: 2, max: 6 }, n));
    expect(accepted).toEqual([2, 3, 4, 5, 6]);
  });

  it("leaves the maximum open when the model does", () => {
    expect(matches({ min: 1 }, 0)).toBe(false);
    expect(matches({ min: 1 }, 1000)).toBe(true);
  });

  it("rejects text that is not base64", () => {
    expect(new RegExp(blobPattern({}), "u").test("not base64!")).toBe(false);
  });
});

describe("pattern flags written into the source", () => {
  const same = (source: string, flags: string, samples: string[]) => {
    const original = new RegExp(source, flags);
    const rewritten = new RegExp(flaglessPattern(source, flags).source, "u");
    for (const sample of samples) expect(rewritten.test(sample), `${JSON.stringify(sample)} against /${source}/${flags}`).toBe(original.test(sample));
  };

  it("keeps a u-only pattern unchanged", () => {
    expect(flaglessPattern("^[\\p{L}]+$", "u")).toEqual({ source: "^[\\p{L}]+$" });
  });

  it("rewrites the s flag", () => {
    same("^a.b$", "us", ["a\nb", "axb", "ab", "a\\.b"]);
    same("^[.]$", "us", [".", "\n"]);
  });

  it("rewrites the m flag", () => {
    same("^ab$", "um", ["ab", "x\nab\ny", "xab", "ab\r", "a\nb"]);
  });

  it("rewrites the i flag for ASCII letters", () => {
    same("^[a-c]x\\d$", "ui", ["AX1", "bx2", "Cx3", "dx4", "ax"]);
    expect(flaglessPattern("^[a-c]x$", "ui").note).toContain("ASCII letters only");
  });

  it("rejects a flag JSON Schema cannot express", () => {
    expect(() => flaglessPattern("a", "uy")).toThrow("flag 'y'");
  });
});

describe("committed schema file", () => {
  it("is the target's output and compiles in strict mode", async () => {
    const file = path.join(ROOT, "generated/cognito-identity-provider/schema/cognito-identity-provider.schema.json");
    const schema = JSON.parse(await readFile(file, "utf8")) as { $id: string; $defs: Record<string, unknown> };
    const ajv = new Ajv2020({ strict: true, unicodeRegExp: true, validateFormats: false });
    ajv.addSchema(schema);
    const validate = ajv.getSchema(`${schema.$id}#/$defs/ForgotPasswordRequest`)!;

    expect(validate({ ClientId: "abc", Username: "corp\\alice" })).toBe(true);
    expect(validate({ ClientId: "abc", Username: "😀".repeat(128) })).toBe(true);
    expect(validate({ ClientId: "abc", Username: "😀".repeat(129) })).toBe(false);
    expect(validate({ ClientId: "abc", Username: "has space" })).toBe(false);
    expect(validate({ Username: "alice" })).toBe(false);
  });
});
