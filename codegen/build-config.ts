/**
 * The build configuration, shapegen.yaml at the repository root: which
 * models to build and, for each, the targets, the output folder and target
 * options, in the manner of smithy-build's projections.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { parse } from "yaml";
import { isPlainObject } from "./model/traits.js";
import { TARGET_NAMES } from "./targets/names.js";

export const BUILD_CONFIG_FILE = "shapegen.yaml";

/** One model to build. */
export interface BuildEntry {
  /** The model folder, relative to the configuration file. */
  readonly model: string;
  /** The package folder to write; `generated/<model folder name>` by default. */
  readonly out: string;
  /** Target names; every registered target when the entry names none. */
  readonly targets?: readonly string[];
  /** Options by target name, passed to that target. */
  readonly options: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

/** A configuration file that is not valid, with the place and the fix. */
export class BuildConfigError extends Error {
  override readonly name = "BuildConfigError";
}

/** Reads shapegen.yaml from `root`; returns undefined when there is none. */
export async function readBuildConfig(root: string): Promise<BuildEntry[] | undefined> {
  const file = path.join(root, BUILD_CONFIG_FILE);
  const text = await readFile(file, "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  return parseBuildConfig(text, root);
}

/** Parses and checks the configuration text; paths are resolved against `root`. */
export function parseBuildConfig(text: string, root: string): BuildEntry[] {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new BuildConfigError(`${BUILD_CONFIG_FILE}: invalid YAML: ${(error as Error).message.split("\n")[0]}`);
  }
  if (!isPlainObject(document) || !Array.isArray(document.models)) {
    throw new BuildConfigError(`${BUILD_CONFIG_FILE}: expected a mapping with 'models', a list of { model, out, targets, options }`);
  }
  for (const key of Object.keys(document)) {
    if (key !== "models" && key !== "$schema") throw new BuildConfigError(`${BUILD_CONFIG_FILE}: unknown key '${key}'; the file has 'models'`);
  }
  return document.models.map((entry, index) => parseEntry(entry, `${BUILD_CONFIG_FILE}: models[${index}]`, root));
}

function parseEntry(entry: unknown, where: string, root: string): BuildEntry {
  if (!isPlainObject(entry)) throw new BuildConfigError(`${where}: expected a mapping with 'model'`);
  for (const key of Object.keys(entry)) {
    if (!["model", "out", "targets", "options"].includes(key)) throw new BuildConfigError(`${where}: unknown key '${key}'; an entry has model, out, targets and options`);
  }
  if (typeof entry.model !== "string" || entry.model === "") throw new BuildConfigError(`${where}: 'model' must be the path of a model folder, such as model/cognito-identity-provider`);
  if (entry.out !== undefined && typeof entry.out !== "string") throw new BuildConfigError(`${where}: 'out' must be a folder path`);

  const known: readonly string[] = TARGET_NAMES;
  let targets: string[] | undefined;
  if (entry.targets !== undefined) {
    if (!Array.isArray(entry.targets) || !entry.targets.every((t) => typeof t === "string")) throw new BuildConfigError(`${where}: 'targets' must be a list of target names`);
    for (const name of entry.targets) {
      if (!known.includes(name)) throw new BuildConfigError(`${where}: unknown target '${name}'; the targets are ${known.join(", ")}`);
    }
    targets = entry.targets;
  }

  const options = entry.options ?? {};
  if (!isPlainObject(options)) throw new BuildConfigError(`${where}: 'options' must map target names to their options`);
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) throw new BuildConfigError(`${where}: options for unknown target '${name}'; the targets are ${known.join(", ")}`);
    if (!isPlainObject(value)) throw new BuildConfigError(`${where}: options of '${name}' must be a mapping`);
  }

  const model = path.resolve(root, entry.model);
  const out = path.resolve(root, entry.out ?? path.join("generated", path.basename(model)));
  return { model, out, targets, options: options as BuildEntry["options"] };
}

/** The JSON Schema of shapegen.yaml, for editors. */
export function buildConfigSchema(): Record<string, unknown> {
  const names = [...TARGET_NAMES];
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: "shapegen build configuration",
    type: "object",
    required: ["models"],
    additionalProperties: false,
    properties: {
      models: {
        type: "array",
        items: {
          type: "object",
          required: ["model"],
          additionalProperties: false,
          properties: {
            model: { type: "string", description: "The model folder, such as model/cognito-identity-provider." },
            out: { type: "string", description: "The package folder to write; generated/<model folder name> by default." },
            targets: { type: "array", items: { enum: names }, description: "Targets to build; all of them when absent." },
            options: { type: "object", propertyNames: { enum: names }, additionalProperties: { type: "object" } },
          },
        },
      },
    },
  };
}
