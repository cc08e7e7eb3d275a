/**
 * Helpers of the protocol compliance test: read the official Smithy test
 * models, generate a package for their service into a temporary folder under
 * node_modules (so its imports resolve to the repository's packages), and
 * compile it with tsc.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { generate } from "../codegen/generate.js";
import { mergeIntoNamespace, readSmithyIdl } from "../codegen/import/smithy-idl.js";
import { toYamlFiles } from "../codegen/import/smithy-json.js";
import type { SmithyAst } from "../codegen/model/smithy-ast.js";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const PROTOCOL_TESTS = path.resolve(ROOT, "..", "shared", "protocol-tests");

/** Reads IDL files relative to the protocol-tests folder into one AST. */
export function readProtocolTestModel(files: readonly string[]): SmithyAst {
  return readSmithyIdl(files.map((file) => ({ file, text: readFileSync(path.join(PROTOCOL_TESTS, file), "utf8") })));
}

/** Generates and compiles the package of a model's service; returns the folder whose dist/ holds the JavaScript. */
export async function buildServicePackage(ast: SmithyAst, namespace: string, packageName: string): Promise<string> {
  const temp = mkdtempSync(path.join(ROOT, "node_modules", ".shapegen-test-"));
  const modelDir = path.join(temp, "model", packageName);
  mkdirSync(modelDir, { recursive: true });
  for (const [file, text] of toYamlFiles(mergeIntoNamespace(ast, namespace))) writeFileSync(path.join(modelDir, file), text);

  const targets = ["package", "types", "serializers", "sensitive", "client"];
  const result = await generate({ modelDir, templatesDir: path.join(ROOT, "templates"), targets });
  if (result.files === undefined) throw new Error(`the ${packageName} model has errors: ${result.diagnostics.map((d) => d.message).join("; ")}`);
  const packageDir = path.join(temp, packageName);
  const files = [...result.files, ...(await validatorFiles(modelDir, packageName))];
  for (const file of files) {
    mkdirSync(path.dirname(path.join(packageDir, file.path)), { recursive: true });
    writeFileSync(path.join(packageDir, file.path), file.contents);
  }
  // The package's index re-exports the mock server's modules too; this build covers only the client-side targets.
  writeFileSync(path.join(packageDir, "src", "index.ts"), ["types", "errors", "validators", "serializers", "sensitive", "client"].map((m) => `export * from "./${m}.js";`).join("\n") + `\nexport { isContentType } from "./protocol.js";\n`);
  execFileSync(process.execPath, [path.join(ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", packageDir], { stdio: "pipe" });
  return packageDir;
}

/**
 * Returns the validators target's files. When that target cannot handle the
 * model, the client's opt-in validation gets validators that accept every
 * input, and a warning says so: these tests check the wire, not validation.
 */
async function validatorFiles(modelDir: string, packageName: string): Promise<{ path: string; contents: string }[]> {
  try {
    const result = await generate({ modelDir, templatesDir: path.join(ROOT, "templates"), targets: ["validators"] });
    return result.files ?? [];
  } catch (error) {
    console.warn(`warning: the validators target failed on ${packageName} (${(error as Error).message}); client-side validation is off in this build`);
    const result = await generate({ modelDir, templatesDir: path.join(ROOT, "templates"), targets: ["client"] });
    const client = result.files!.find((f) => f.path === "src/client.ts")!.contents;
    const names = [...new Set(client.match(/\bvalidate[A-Z]\w*/g) ?? [])];
    const contents = names.map((name) => `export function ${name}(_value: unknown): { path: string; message: string }[] {\n  return [];\n}\n`).join("\n");
    return [{ path: "src/validators.ts", contents }];
  }
}
