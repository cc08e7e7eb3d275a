import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { BuildConfigError, buildConfigSchema, parseBuildConfig } from "../codegen/build-config.js";

const ROOT = path.resolve(import.meta.dirname, "..");

describe("shapegen.yaml", () => {
  it("resolves models and default output folders", () => {
    const entries = parseBuildConfig("models:\n  - model: model/weather\n  - model: model/users\n    out: out/users\n    targets: [types, docs]\n", "/repo");

    expect(entries).toEqual([
      { model: "/repo/model/weather", out: "/repo/generated/weather", targets: undefined, options: {} },
      { model: "/repo/model/users", out: "/repo/out/users", targets: ["types", "docs"], options: {} },
    ]);
  });

  it.each([
    ["models: nope\n", "expected a mapping with 'models'"],
    ["models: []\nextra: 1\n", "unknown key 'extra'"],
    ["models:\n  - out: x\n", "models[0]: 'model' must be the path of a model folder"],
    ["models:\n  - model: m\n    targets: [typos]\n", "unknown target 'typos'; the targets are package, types"],
    ["models:\n  - model: m\n    options: { nope: {} }\n", "options for unknown target 'nope'"],
    ["models:\n  - model: m\n    colour: red\n", "unknown key 'colour'"],
    ["models: [\n", "invalid YAML"],
  ])("rejects %j", (text, message) => {
    expect(() => parseBuildConfig(text, "/repo")).toThrow(BuildConfigError);
    expect(() => parseBuildConfig(text, "/repo")).toThrow(message);
  });

  it("has its committed JSON Schema", () => {
    expect(JSON.parse(readFileSync(path.join(ROOT, "codegen/build.schema.json"), "utf8"))).toEqual(buildConfigSchema());
  });

  it("builds the ForgotPassword model by default", () => {
    const entries = parseBuildConfig(readFileSync(path.join(ROOT, "shapegen.yaml"), "utf8"), ROOT);
    expect(entries.map((e) => path.relative(ROOT, e.model))).toEqual(["model/cognito-identity-provider"]);
  });
});
