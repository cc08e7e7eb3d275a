/**
 * Compares the generated ForgotPasswordRequest validator with ajv (compiled
 * from the emitted JSON Schema) and zod 4 (a schema written to the same
 * constraints) on valid and invalid requests. Prints a table and writes
 * bench/results/validators.json.
 *
 * Run: npx tsx bench/validators.ts
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { z } from "zod";
import { validateForgotPasswordRequest } from "../generated/cognito-identity-provider/src/validators.js";
import { formatRate, measure, type Measurement } from "./lib/measure.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const SCHEMA = path.join(ROOT, "generated/cognito-identity-provider/schema/cognito-identity-provider.schema.json");
const RESULTS = path.join(ROOT, "bench/results/validators.json");

const VALID = {
  ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5",
  SecretHash: "oUkNFqfm7UjLds8vXFWarT1l3gqORGoztf+EyFmoX2Q=",
  UserContextData: { IpAddress: "192.0.2.1", EncodedData: "eyJkZXZpY2UiOiJ0ZXN0In0=" },
  Username: "corp\\alice",
  AnalyticsMetadata: { AnalyticsEndpointId: "endpoint-1" },
  ClientMetadata: { source: "bench", locale: "en-US" },
};

/** Three violations: an empty client id (length and pattern) and a user name with a space (pattern). */
const INVALID = { ClientId: "", Username: "has space", ClientMetadata: { source: "bench" } };

/** Counts code points, as Smithy's length trait does; zod's min and max count UTF-16 units. */
function codePoints(text: string): number {
  let length = text.length;
  for (let i = 0; i < text.length - 1; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length--;
        i++;
      }
    }
  }
  return length;
}

function constrained(min: number, max: number, pattern?: RegExp) {
  const text = z.string().refine((s) => {
    const length = codePoints(s);
    return length >= min && length <= max;
  }, `length must be from ${min} to ${max}`);
  return pattern === undefined ? text : text.regex(pattern);
}

const zodForgotPasswordRequest = z.object({
  ClientId: constrained(1, 128, /^[\w+]+$/u),
  SecretHash: constrained(1, 128, /^[\w+=/]+$/u).optional(),
  UserContextData: z.object({ IpAddress: constrained(0, 131072).optional(), EncodedData: constrained(0, 131072).optional() }).optional(),
  Username: constrained(1, 128, /^[\p{L}\p{M}\p{S}\p{N}\p{P}]+$/u),
  AnalyticsMetadata: z.object({ AnalyticsEndpointId: constrained(0, 131072).optional() }).optional(),
  ClientMetadata: z.record(constrained(0, 131072), constrained(0, 131072)).optional(),
});

async function main(): Promise<void> {
  const schema = JSON.parse(await readFile(SCHEMA, "utf8")) as { $id: string };
  const ajvFirst = new Ajv2020({ unicodeRegExp: true });
  const ajvAll = new Ajv2020({ unicodeRegExp: true, allErrors: true });
  ajvFirst.addSchema(schema);
  ajvAll.addSchema(schema);
  const ajvFirstError = ajvFirst.getSchema(`${schema.$id}#/$defs/ForgotPasswordRequest`)!;
  const ajvAllErrors = ajvAll.getSchema(`${schema.$id}#/$defs/ForgotPasswordRequest`)!;

  checkVerdicts(ajvFirstError, ajvAllErrors);

  const candidates: [string, (value: unknown) => unknown][] = [
    ["shapegen", (value) => validateForgotPasswordRequest(value)],
    ["ajv", (value) => ajvFirstError(value)],
    ["ajv allErrors", (value) => ajvAllErrors(value)],
    ["zod", (value) => zodForgotPasswordRequest.safeParse(value)],
  ];
  const results: Record<string, Measurement[]> = { valid: [], invalid: [] };
  for (const [input, value] of [["valid", VALID], ["invalid", INVALID]] as const) {
    for (const [name, run] of candidates) results[input]!.push(measure(name, () => run(value), { samples: 9, iterations: 100_000, warmup: 3 }));
  }

  printTable(results);
  await mkdir(path.dirname(RESULTS), { recursive: true });
  const environment = { node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length, date: new Date().toISOString() };
  await writeFile(RESULTS, `${JSON.stringify({ environment, results: { valid: withRatios(results.valid!), invalid: withRatios(results.invalid!) } }, null, 2)}\n`);
  console.log(`wrote ${path.relative(ROOT, RESULTS)}`);
}

/** Fails before timing anything unless every validator accepts the valid request and rejects the invalid one. */
function checkVerdicts(first: (value: unknown) => boolean, all: (value: unknown) => boolean): void {
  const verdicts = {
    shapegen: [validateForgotPasswordRequest(VALID).length === 0, validateForgotPasswordRequest(INVALID).length === 0],
    ajv: [first(VALID), first(INVALID)],
    "ajv allErrors": [all(VALID), all(INVALID)],
    zod: [zodForgotPasswordRequest.safeParse(VALID).success, zodForgotPasswordRequest.safeParse(INVALID).success],
  };
  for (const [name, [valid, invalid]] of Object.entries(verdicts)) {
    if (!valid || invalid) throw new Error(`${name} gives the wrong verdict (valid input accepted: ${valid}, invalid input accepted: ${invalid}); fix the bench inputs or the schema`);
  }
}

function withRatios(measurements: readonly Measurement[]) {
  const ours = measurements.find((m) => m.name === "shapegen")!.median;
  return measurements.map((m) => ({ ...m, shapegenSpeedup: ours / m.median }));
}

function printTable(results: Record<string, Measurement[]>): void {
  console.log(`${"input".padEnd(8)} ${"validator".padEnd(14)} ${"median ops/s".padStart(13)} ${"min".padStart(10)} ${"max".padStart(10)} ${"shapegen x".padStart(11)}`);
  for (const [input, measurements] of Object.entries(results)) {
    const ours = measurements.find((m) => m.name === "shapegen")!.median;
    for (const m of measurements) {
      const ratio = (ours / m.median).toFixed(2);
      console.log(`${input.padEnd(8)} ${m.name.padEnd(14)} ${formatRate(m.median).padStart(13)} ${formatRate(m.min).padStart(10)} ${formatRate(m.max).padStart(10)} ${ratio.padStart(11)}`);
    }
  }
}

await main();
