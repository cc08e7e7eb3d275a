/**
 * Runs the validators and json-schema targets in memory on a model and loads
 * what they generate: the validator module (bundled with esbuild into a
 * temporary folder and imported) and the JSON Schema document.
 */
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import type { Model } from "../codegen/model/ir.js";
import { loadModel, loadModelTexts } from "../codegen/model/index.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import type { TargetContext } from "../codegen/targets/common/target.js";
import { jsonSchemaTarget } from "../codegen/targets/json-schema/index.js";
import { validatorsTarget } from "../codegen/targets/validators/index.js";

export const ROOT = path.resolve(import.meta.dirname, "..");

/** One issue as the generated validators report it. */
export interface Issue {
  readonly path: string;
  readonly constraint: string;
  readonly limit?: unknown;
  readonly message: string;
  readonly value?: unknown;
  readonly sensitive: boolean;
}

/** The generated code of one model, loaded. */
export interface Generated {
  readonly model: Model;
  /** `validate<Shape>` by shape name. */
  readonly validators: ReadonlyMap<string, (value: unknown) => Issue[]>;
  readonly formatValidationMessage: (issues: readonly Issue[]) => string;
  readonly schema: Record<string, unknown>;
  /** The generated sources by path, such as `src/validators.ts`. */
  readonly sources: ReadonlyMap<string, string>;
}

/** The header of a hand-written test model: a service with the awsJson1_1 protocol. */
export const SERVICE_YAML = `namespace: example.test
shapes:
  TestService:
    type: service
    version: "2024-01-01"
    traits:
      aws.protocols#awsJson1_1: {}
`;

/** Loads a model from YAML texts, failing with its diagnostics when it has errors. */
export function modelFromTexts(files: readonly { file: string; text: string }[]): Model {
  const result = loadModelTexts(files);
  const errors = result.diagnostics.filter((d) => d.severity === "error");
  if (result.model === undefined || errors.length > 0) throw new Error(`the test model has errors: ${errors.map((d) => `${d.code} ${d.message}`).join("; ")}`);
  return result.model;
}

/** Loads the whole official Cognito model (713 shapes) through the importer, in memory. */
export async function wholeCognitoModel(): Promise<Model> {
  const file = path.join(ROOT, "../shared/models/aws/cognito-identity-provider.json");
  const ast = readSmithyJson(await readFile(file, "utf8"), file);
  return modelFromTexts([...toYamlFiles(ast)].map(([name, text]) => ({ file: name, text })));
}

/** Loads the committed YAML model. */
export async function committedModel(): Promise<Model> {
  const result = await loadModel(path.join(ROOT, "model/cognito-identity-provider"));
  if (result.model === undefined) throw new Error("model/cognito-identity-provider has errors");
  return result.model;
}

/** Generates validators and the JSON Schema for a model and loads both. */
export async function generateAndLoad(model: Model, packageName = "test-package"): Promise<Generated> {
  const context: TargetContext = { model, service: serviceInfo(model), packageName, templatesDir: path.join(ROOT, "templates") };
  const files = [...(await validatorsTarget.generate(context)), ...(await jsonSchemaTarget.generate(context))];
  const sources = new Map(files.map((f) => [f.path, f.contents]));

  const folder = await mkdtemp(path.join(tmpdir(), "shapegen-validators-"));
  try {
    await writeFile(path.join(folder, "validators.ts"), sources.get("src/validators.ts")!);
    await writeFile(path.join(folder, "validation.ts"), sources.get("src/validation.ts")!);
    const outfile = path.join(folder, "validators.mjs");
    await build({ entryPoints: [path.join(folder, "validators.ts")], bundle: true, format: "esm", platform: "node", outfile, logLevel: "silent" });
    const module = (await import(pathToFileURL(outfile).href)) as Record<string, unknown>;

    const validators = new Map<string, (value: unknown) => Issue[]>();
    for (const [name, exported] of Object.entries(module)) {
      if (name.startsWith("validate") && typeof exported === "function") validators.set(name.slice("validate".length), exported as (value: unknown) => Issue[]);
    }
    const schemaFile = [...sources.keys()].find((p) => p.startsWith("schema/"))!;
    return {
      model,
      validators,
      formatValidationMessage: module.formatValidationMessage as Generated["formatValidationMessage"],
      schema: JSON.parse(sources.get(schemaFile)!) as Record<string, unknown>,
      sources,
    };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}
