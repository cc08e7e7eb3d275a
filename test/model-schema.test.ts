import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import { modelSchema } from "../codegen/model/schema.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(modelSchema());

describe("JSON Schema of the model format", () => {
  it("is committed as the generator builds it", () => {
    const committed = JSON.parse(readFileSync(path.join(ROOT, "codegen/model/model.schema.json"), "utf8"));
    expect(committed).toEqual(modelSchema());
  });

  it("accepts every file of the committed models", () => {
    for (const folder of readdirSync(path.join(ROOT, "model"))) {
      for (const name of readdirSync(path.join(ROOT, "model", folder)).filter((n) => n.endsWith(".yaml"))) {
        const document = parse(readFileSync(path.join(ROOT, "model", folder, name), "utf8"));
        expect(validate(document), `${folder}/${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
      }
    }
  });

  it("accepts the whole imported Cognito model", () => {
    const file = path.join(ROOT, "../shared/models/aws/cognito-identity-provider.json");
    for (const [name, text] of toYamlFiles(readSmithyJson(readFileSync(file, "utf8"), file))) {
      expect(validate(parse(text)), `${name}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    }
  });

  it("is referenced by the committed model files", () => {
    for (const folder of readdirSync(path.join(ROOT, "model"))) {
      for (const name of readdirSync(path.join(ROOT, "model", folder)).filter((n) => n.endsWith(".yaml"))) {
        const first = readFileSync(path.join(ROOT, "model", folder, name), "utf8").split("\n")[0];
        expect(first, `${folder}/${name}`).toBe("# yaml-language-server: $schema=../../codegen/model/model.schema.json");
      }
    }
  });

  it.each([
    ["a misspelled trait", { namespace: "a.b", shapes: { Name: { type: "string", lenght: { max: 3 } } } }],
    ["an unknown shape type", { namespace: "a.b", shapes: { Name: { type: "strng" } } }],
    ["a trait value of the wrong type", { namespace: "a.b", shapes: { Name: { type: "string", sensitive: "yes" } } }],
    ["a list without member", { namespace: "a.b", shapes: { Names: { type: "list" } } }],
    ["members on a string", { namespace: "a.b", shapes: { Name: { type: "string", members: {} } } }],
    ["a member without target", { namespace: "a.b", shapes: { R: { type: "structure", members: { A: { required: true } } } } }],
    ["a bad namespace", { namespace: "1x", shapes: {} }],
  ])("rejects %s", (_, document) => {
    expect(validate(document)).toBe(false);
  });

  it("accepts an operation's input name and a structure's input mark", () => {
    const document = {
      namespace: "a.b",
      shapes: { Get: { type: "operation", input: "GetInput" }, GetInput: { type: "structure", input: true, members: {} } },
    };
    expect(validate(document), JSON.stringify(validate.errors)).toBe(true);
  });
});
