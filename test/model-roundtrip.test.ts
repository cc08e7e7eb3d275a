import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import { formatDiagnostic } from "../codegen/model/diagnostics.js";
import { loadModelTexts } from "../codegen/model/index.js";
import { toSmithyAst } from "../codegen/model/smithy-ast.js";

const OFFICIAL = ["cognito-identity-provider", "migrationhub-config", "keyspacesstreams"];

describe("import then export of official models", () => {
  it.each(OFFICIAL)("%s gives back the original JSON AST", (name) => {
    const file = new URL(`../../shared/models/aws/${name}.json`, import.meta.url);
    const original = readSmithyJson(readFileSync(file, "utf8"), file.pathname);

    const yaml = toYamlFiles(original);
    const loaded = loadModelTexts([...yaml].map(([path, text]) => ({ file: path, text })));
    const errors = loaded.diagnostics.filter((d) => d.severity === "error");
    expect(errors.map((d) => formatDiagnostic(d)), "diagnostics").toEqual([]);
    const exported = toSmithyAst(loaded.model!);

    expect(Object.keys(exported.shapes).sort()).toEqual(Object.keys(original.shapes).sort());
    for (const [id, shape] of Object.entries(original.shapes)) {
      expect(exported.shapes[id], id).toEqual(shape);
      expect(Object.keys(exported.shapes[id]!.members ?? {}), `${id} member order`).toEqual(Object.keys(shape.members ?? {}));
    }
    expect(exported.metadata, "metadata").toEqual(original.metadata);
  });
});
