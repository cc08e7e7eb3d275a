import path from "node:path";
import { describe, expect, it } from "vitest";
import { generate } from "../codegen/generate.js";
import { loadModel, loadModelTexts } from "../codegen/model/index.js";
import type { StructureShape } from "../codegen/model/ir.js";
import { toSmithyAst } from "../codegen/model/smithy-ast.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";

function load(text: string) {
  return loadModelTexts([{ file: "model.yaml", text }]);
}

const MIXINS = `namespace: example.users
shapes:
  Timestamps:
    type: structure
    mixin: { localTraits: [smithy.api#documentation] }
    documentation: Only on the mixin.
    sensitive: true
    members:
      CreatedAt: Timestamp
      UpdatedAt: Timestamp
  User:
    type: structure
    mixins: [Timestamps]
    members:
      Name: String
      UpdatedAt:
        target: Timestamp
        required: true
`;

describe("mixins", () => {
  it("puts mixin members first and keeps the shape's own traits on redefined ones", () => {
    const { model, diagnostics } = load(MIXINS);
    const user = model!.shapes.get("example.users#User") as StructureShape;

    expect(diagnostics).toEqual([]);
    expect(user.members.map((m) => m.name)).toEqual(["CreatedAt", "UpdatedAt", "Name"]);
    expect(user.members.map((m) => m.id)).toEqual(["example.users#User$CreatedAt", "example.users#User$UpdatedAt", "example.users#User$Name"]);
    expect(user.members[1]!.traits.required).toBe(true);
  });

  it("inherits traits except local ones and leaves the model", () => {
    const { model } = load(MIXINS);
    const user = model!.shapes.get("example.users#User")!;

    expect(user.traits.sensitive).toBe(true);
    expect(user.traits.documentation).toBeUndefined();
    expect(user.traits.prelude.mixin).toBeUndefined();
    expect(model!.shapes.has("example.users#Timestamps")).toBe(false);
  });

  it("rejects a mixin without the mixin trait", () => {
    const { model, diagnostics } = load("namespace: a.b\nshapes:\n  Base:\n    type: structure\n    members: {}\n  User:\n    type: structure\n    mixins: [Base]\n    members: {}\n");

    expect(model).toBeUndefined();
    expect(diagnostics[0]).toMatchObject({ code: "SG1008", location: { line: 8, column: 14 } });
    expect(diagnostics[0]!.message).toContain("a structure with the mixin trait");
  });

  it("rejects a mixin cycle", () => {
    const text = "namespace: a.b\nshapes:\n  A:\n    type: structure\n    mixin: true\n    mixins: [B]\n    members: {}\n  B:\n    type: structure\n    mixin: true\n    mixins: [A]\n    members: {}\n  C:\n    type: structure\n    mixins: [A]\n    members: {}\n";
    const { diagnostics } = load(text);

    expect(diagnostics.map((d) => d.code)).toContain("SG1018");
  });
});

const RESOURCES = `namespace: example.weather
shapes:
  Weather:
    type: service
    version: "2024-01-01"
    resources: [City]
    traits:
      aws.protocols#awsJson1_1: {}
  City:
    type: resource
    identifiers: { cityId: CityId }
    read: GetCity
    list: ListCities
    resources: [Forecast]
  Forecast:
    type: resource
    identifiers: { cityId: CityId }
    read: GetForecast
  CityId:
    type: string
    pattern: ^[a-z0-9-]+$
  GetCity:
    type: operation
    input: GetCityInput
    output: Unit
  ListCities:
    type: operation
  GetForecast:
    type: operation
  GetCityInput:
    type: structure
    input: true
    members:
      cityId:
        target: CityId
        required: true
`;

describe("resources", () => {
  it("bind their operations to the service", () => {
    const { model, diagnostics } = load(RESOURCES);

    expect(diagnostics).toEqual([]);
    expect(serviceInfo(model!).operations.map((o) => o.name)).toEqual(["GetCity", "ListCities", "GetForecast"]);
  });

  it("export to the Smithy JSON AST", () => {
    const ast = toSmithyAst(load(RESOURCES).model!);

    expect(ast.shapes["example.weather#City"]).toEqual({
      type: "resource",
      identifiers: { cityId: { target: "example.weather#CityId" } },
      read: { target: "example.weather#GetCity" },
      list: { target: "example.weather#ListCities" },
      resources: [{ target: "example.weather#Forecast" }],
    });
    expect(ast.shapes["example.weather#Weather"]!.resources).toEqual([{ target: "example.weather#City" }]);
  });

  it("report an unknown lifecycle operation", () => {
    const { diagnostics } = load(RESOURCES.replace("read: GetCity", "read: GetCty"));

    expect(diagnostics[0]).toMatchObject({ code: "SG1002" });
    expect(diagnostics[0]!.message).toBe("the read operation of shape 'City' targets unknown shape 'GetCty'. Did you mean 'GetCity'?");
  });
});

describe("generate on models it cannot build", () => {
  it.each([
    ["no service", "namespace: a.b\nshapes:\n  Name:\n    type: string\n", "SG1011"],
    ["a service without protocol", "namespace: a.b\nshapes:\n  S:\n    type: service\n    version: '1'\n", "SG1017"],
    [
      "a structure named like a global",
      "namespace: a.b\nshapes:\n  S:\n    type: service\n    version: '1'\n    traits:\n      aws.protocols#awsJson1_1: {}\n  Record:\n    type: structure\n    members: {}\n",
      "SG1021",
    ],
  ])("reports %s as a diagnostic", async (_, text, code) => {
    const dir = mkdtempSync(path.join(tmpdir(), "shapegen-model-"));
    try {
      writeFileSync(path.join(dir, "model.yaml"), text);
      const result = await generate({ modelDir: dir, templatesDir: path.resolve(import.meta.dirname, "../templates") });

      expect(result.files).toBeUndefined();
      expect(result.diagnostics.map((d) => d.code)).toEqual([code]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("loader on hostile files", () => {
  it("reports a file that is not UTF-8 with the byte offset", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "shapegen-model-"));
    try {
      writeFileSync(path.join(dir, "model.yaml"), Buffer.concat([Buffer.from("namespace: a.b\n# caf"), Buffer.from([0xe9]), Buffer.from("\nshapes: {}\n")]));
      const { model, diagnostics } = await loadModel(dir);

      expect(model).toBeUndefined();
      expect(diagnostics).toHaveLength(1);
      expect(diagnostics[0]!.code).toBe("SG1020");
      expect(diagnostics[0]!.message).toContain("first invalid byte at offset 20");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("reports nesting too deep to parse instead of crashing", () => {
    const text = `namespace: a.b\nshapes:\n  A:\n    type: string\n    traits:\n      a.b#x: ${"[".repeat(20_000)}${"]".repeat(20_000)}\n`;
    const { model, diagnostics } = load(text);

    expect(model).toBeUndefined();
    expect(diagnostics.map((d) => d.code)).toContain("SG1001");
  });
});

describe("diagnostics a user acts on", () => {
  it("names the namespace of a shape referenced across namespaces", () => {
    const result = loadModelTexts([
      { file: "a.yaml", text: "namespace: example.a\nshapes:\n  Name:\n    type: string\n" },
      { file: "b.yaml", text: "namespace: example.b\nshapes:\n  User:\n    type: structure\n    members:\n      Name: Name\n" },
    ]);

    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.message).toContain("It is defined in namespace 'example.a', but this file's namespace is 'example.b': write 'example.a#Name'");
  });

  it("reports a shape that failed to load once, not at every reference", () => {
    const { diagnostics } = load("namespace: a.b\nshapes:\n  Name:\n    type: strnig\n  User:\n    type: structure\n    members:\n      First: Name\n      Last: Name\n");

    expect(diagnostics.map((d) => d.code)).toEqual(["SG1006"]);
  });

  it("suppresses a warning listed in the model's metadata", () => {
    const text = (suppress: string) => `namespace: a.b\nmetadata:\n  suppressions: [${suppress}]\nshapes:\n  Message:\n    type: string\n    pattern: ^(?s)\n`;

    expect(load(text("")).diagnostics.map((d) => d.code)).toEqual(["SG2006"]);
    expect(load(text("{ id: SG2006, namespace: '*' }")).diagnostics).toEqual([]);
  });

  it("warns of nested quantifiers only without a length max", () => {
    const text = (length: string) => `namespace: a.b\nshapes:\n  Code:\n    type: string\n${length}    pattern: ^(a+)+$\n`;

    expect(load(text("")).diagnostics.map((d) => d.code)).toEqual(["SG2009"]);
    expect(load(text("    length: { max: 64 }\n")).diagnostics).toEqual([]);
  });
});
