/**
 * The main job: load a model folder, check it, and run every target on it.
 */
import path from "node:path";
import type { Diagnostic } from "./model/diagnostics.js";
import { loadModel } from "./model/index.js";
import { diagnostic } from "./model/diagnostics.js";
import { ServiceError, serviceInfo, type ServiceInfo } from "./targets/common/service.js";
import { shapesShadowingGlobals } from "./targets/common/typescript.js";
import type { GeneratedFile, Target } from "./targets/common/target.js";
import { TARGETS } from "./targets/registry.js";

export interface GenerateRequest {
  /** The model folder, such as `model/cognito-identity-provider`. */
  readonly modelDir: string;
  /** The templates folder, `templates/` at the repository root by default. */
  readonly templatesDir: string;
  /** Targets to run, by name; all of them when absent. */
  readonly targets?: readonly string[];
  /** Options by target name, from shapegen.yaml. */
  readonly options?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
}

export interface GenerateResult {
  readonly packageName: string;
  /** Present only when the model has no errors; sorted by path. */
  readonly files?: GeneratedFile[];
  readonly diagnostics: readonly Diagnostic[];
  readonly sources: ReadonlyMap<string, string>;
  /** Milliseconds each step took, by step name, for the CLI's report. */
  readonly timings: ReadonlyMap<string, number>;
}

/** A target name that the registry does not have. */
export class UnknownTargetError extends Error {
  override readonly name = "UnknownTargetError";
}

/** Runs the pipeline in memory; writing is the caller's choice. */
export async function generate(request: GenerateRequest): Promise<GenerateResult> {
  const packageName = path.basename(path.resolve(request.modelDir));
  const timings = new Map<string, number>();
  const targets = selectTargets(request.targets);

  const started = performance.now();
  const { model, diagnostics, sources } = await loadModel(request.modelDir);
  timings.set("load", performance.now() - started);
  if (model === undefined) return { packageName, diagnostics, sources, timings };

  let service: ServiceInfo;
  try {
    service = serviceInfo(model);
  } catch (error) {
    if (!(error instanceof ServiceError)) throw error;
    const problem = diagnostic(error.code, error.code === "SG1011" ? { count: [...model.shapes.values()].filter((s) => s.type === "service").length } : {}, error.location);
    return { packageName, diagnostics: [...diagnostics, problem], sources, timings };
  }
  // TODO: rename such types in generated code, as the AWS SDK does with a prefix, instead of refusing to generate.
  const shadowing = shapesShadowingGlobals(model).map((shape) => diagnostic("SG1021", { name: shape.name }, shape.location));
  if (shadowing.length > 0) return { packageName, diagnostics: [...diagnostics, ...shadowing], sources, timings };
  const context = { model, service, packageName, modelDir: request.modelDir, templatesDir: request.templatesDir };
  // Targets run concurrently, so their Prettier work spreads over the format workers; each timing spans its target's start to end.
  const outputs = await Promise.all(
    targets.map(async (target) => {
      const begun = performance.now();
      const output = await target.generate({ ...context, options: request.options?.[target.name] ?? {} });
      timings.set(target.name, performance.now() - begun);
      return output;
    }),
  );
  const files = outputs.flat();
  const paths = new Set<string>();
  for (const file of files) {
    if (paths.has(file.path)) throw new Error(`two targets write '${file.path}'; each generated file must belong to one target`);
    paths.add(file.path);
  }
  files.sort((a, b) => a.path.localeCompare(b.path));
  return { packageName, files, diagnostics, sources, timings };
}

function selectTargets(names: readonly string[] | undefined): readonly Target[] {
  if (names === undefined || names.length === 0) return TARGETS;
  return names.map((name) => {
    const target = TARGETS.find((t) => t.name === name);
    if (target === undefined) throw new UnknownTargetError(`unknown target '${name}'; the targets are ${TARGETS.map((t) => t.name).join(", ")}`);
    return target;
  });
}
