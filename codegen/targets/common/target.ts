/**
 * The contract between the generator and its targets.
 */
import type { Model } from "../../model/ir.js";
import type { ServiceInfo } from "./service.js";

/** One file a target writes, relative to the service's output folder. */
export interface GeneratedFile {
  readonly path: string;
  readonly contents: string;
}

/** What every target receives: the resolved model and facts about its service. */
export interface TargetContext {
  readonly model: Model;
  readonly service: ServiceInfo;
  /** The model folder's name, such as `cognito-identity-provider`; also the output folder and package name. */
  readonly packageName: string;
  /** The model folder the model was loaded from, such as `model/cognito-identity-provider`. */
  readonly modelDir?: string;
  /** The folder of Handlebars templates, `templates/` at the repository root. */
  readonly templatesDir: string;
  /** This target's options from shapegen.yaml; absent or empty when none are set. */
  readonly options?: Readonly<Record<string, unknown>>;
}

/** A target turns the IR into files. */
export interface Target {
  readonly name: string;
  readonly description: string;
  generate(context: TargetContext): Promise<GeneratedFile[]>;
}
