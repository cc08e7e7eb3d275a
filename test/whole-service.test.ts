import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { generate } from "../codegen/generate.js";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";

const ROOT = path.resolve(import.meta.dirname, "..");
// Under the repository, so the compiled package resolves @types/node and its dependencies from node_modules.
const WORK = path.join(ROOT, "test/.output/whole-cognito");

describe("the whole imported Cognito service", () => {
  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it("generates every target and compiles under tsc strict", { timeout: 300_000 }, async () => {
    const official = path.join(ROOT, "../shared/models/aws/cognito-identity-provider.json");
    const ast = readSmithyJson(readFileSync(official, "utf8"), official);
    rmSync(WORK, { recursive: true, force: true });
    const modelDir = path.join(WORK, "model", "cognito-identity-provider-full");
    mkdirSync(modelDir, { recursive: true });
    for (const [name, text] of toYamlFiles(ast)) writeFileSync(path.join(modelDir, name), text);

    const result = await generate({ modelDir, templatesDir: path.join(ROOT, "templates") });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const files = result.files!;
    const out = path.join(WORK, "out");
    for (const file of files) {
      mkdirSync(path.dirname(path.join(out, file.path)), { recursive: true });
      writeFileSync(path.join(out, file.path), file.contents);
    }

    const operations = files.filter((f) => f.path.startsWith("docs/operations/") && f.path.endsWith(".html"));
    expect(operations).toHaveLength(122);
    const types = files.find((f) => f.path === "src/types.ts")!.contents;
    expect(types).toContain("export interface AdminCreateUserRequest {");

    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    const compile = () => execFileSync(process.execPath, [tsc, "-p", path.join(out, "tsconfig.json"), "--noEmit"], { encoding: "utf8", stdio: "pipe" });
    expect(compile).not.toThrow();
  });
});
