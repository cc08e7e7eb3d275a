/**
 * Scenarios declared beside a model in `mock/scenarios.yaml`: canned answers
 * for requests whose input matches. They are checked against the model here
 * and written into the package as data.
 */
import type { Model, OperationShape, StructureShape } from "../../model/ir.js";
import { UNIT } from "../../model/ir.js";
import { parse } from "yaml";

/** A scenario as the generated package stores it; the runtime type is `Scenario` in mock-scenarios.ts. */
export interface ScenarioRecord {
  readonly name: string;
  readonly operation: string;
  readonly match: Record<string, unknown>;
  readonly output?: Record<string, unknown>;
  readonly error?: { readonly name: string; readonly message: string };
  readonly delayMs?: number;
}

/** A scenarios file that does not fit the model; the message names the file, the scenario and the fix. */
export class ScenarioError extends Error {
  override readonly name = "ScenarioError";
}

const KEYS = new Set(["name", "operation", "match", "output", "error", "delayMs"]);

/** Parses and checks a scenarios file: every operation, member and error it names must exist in the model. */
export function readScenarios(file: string, text: string, model: Model, operations: readonly OperationShape[]): ScenarioRecord[] {
  const document: unknown = parse(text);
  const list = isRecord(document) ? document.scenarios : undefined;
  if (!Array.isArray(list)) throw new ScenarioError(`${file}: expected a top-level 'scenarios' list`);

  return list.map((entry: unknown, index) => {
    const where = `${file}: scenario ${index + 1}`;
    if (!isRecord(entry)) throw new ScenarioError(`${where}: expected a mapping with 'operation', 'match' and 'output' or 'error'`);
    for (const key of Object.keys(entry)) {
      if (!KEYS.has(key)) throw new ScenarioError(`${where}: unknown key '${key}'; the keys are ${[...KEYS].join(", ")}`);
    }

    const operation = operations.find((op) => op.name === entry.operation);
    if (operation === undefined) throw new ScenarioError(`${where}: unknown operation '${String(entry.operation)}'; the service has ${operations.map((op) => op.name).join(", ")}`);
    const name = typeof entry.name === "string" ? entry.name : `${operation.name} #${index + 1}`;
    const label = `${file}: scenario '${name}'`;

    const match = entry.match ?? {};
    if (!isRecord(match)) throw new ScenarioError(`${label}: 'match' must be a mapping of input members to values`);
    checkMembers(label, "match", match, model, operation.input);

    if ((entry.output === undefined) === (entry.error === undefined)) throw new ScenarioError(`${label}: give exactly one of 'output' and 'error'`);
    if (entry.output !== undefined) {
      if (!isRecord(entry.output)) throw new ScenarioError(`${label}: 'output' must be a mapping of output members to values`);
      checkMembers(label, "output", entry.output, model, operation.output);
    }
    const error = entry.error === undefined ? undefined : checkError(label, entry.error, model, operation);

    const delayMs = entry.delayMs;
    if (delayMs !== undefined && (typeof delayMs !== "number" || !Number.isInteger(delayMs) || delayMs < 0 || delayMs > 60_000)) {
      throw new ScenarioError(`${label}: 'delayMs' must be an integer from 0 to 60000, got ${JSON.stringify(delayMs)}`);
    }
    return { name, operation: operation.name, match, ...(entry.output === undefined ? {} : { output: entry.output }), ...(error ? { error } : {}), ...(delayMs === undefined ? {} : { delayMs }) };
  });
}

function checkMembers(label: string, role: string, values: Record<string, unknown>, model: Model, id: string): void {
  const shape = id === UNIT ? undefined : (model.shapes.get(id) as StructureShape | undefined);
  const names = shape?.members.map((m) => m.name) ?? [];
  for (const key of Object.keys(values)) {
    if (!names.includes(key)) throw new ScenarioError(`${label}: '${role}' names '${key}', which is not a member of ${shape?.name ?? "the empty structure"}; the members are ${names.join(", ") || "none"}`);
  }
}

function checkError(label: string, error: unknown, model: Model, operation: OperationShape): { name: string; message: string } {
  if (!isRecord(error) || typeof error.name !== "string" || typeof error.message !== "string") {
    throw new ScenarioError(`${label}: 'error' must be a mapping with a 'name' and a 'message'`);
  }
  const names = operation.errors.map((id) => model.shapes.get(id)?.name);
  if (!names.includes(error.name)) throw new ScenarioError(`${label}: error '${error.name}' is not one of the errors of ${operation.name}: ${names.join(", ")}`);
  return { name: error.name, message: error.message };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
