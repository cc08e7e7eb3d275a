/**
 * Generation benchmark: wall time of `shapegen generate` as a user runs it,
 * for the ForgotPassword model, the whole Cognito service and synthetic
 * copies of it at 2x and 4x, plus a no-op run when nothing changed.
 *
 * Run: npm run bench -- generate (or npx tsx bench/generate.ts)
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import type { AstShape, SmithyAst } from "../codegen/model/smithy-ast.js";
import { writeResults } from "./lib/report.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const OFFICIAL = path.join(ROOT, "../shared/models/aws/cognito-identity-provider.json");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

interface Row {
  readonly name: string;
  readonly shapes: number;
  readonly files: number;
  readonly medianMs: number;
  readonly minMs: number;
  readonly maxMs: number;
  readonly msPerShape: number;
  readonly goalMs?: number;
}

const FORMAT_CACHE = path.join(ROOT, "node_modules/.cache/shapegen");

/**
 * Runs the CLI `RUNS` times after one warm-up and returns the median, min and
 * max wall time; with `cold`, the Prettier result cache is emptied before each run.
 */
function time(args: readonly string[], cold = false): { median: number; min: number; max: number; files: number } {
  const run = () => {
    if (cold) rmSync(FORMAT_CACHE, { recursive: true, force: true });
    const started = performance.now();
    const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "codegen/cli.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
    const elapsed = performance.now() - started;
    if (result.status !== 0) throw new Error(`shapegen ${args.join(" ")} failed:\n${result.stderr}`);
    return { elapsed, files: Number(/wrote (\d+) files/.exec(result.stdout)?.[1] ?? 0) };
  };
  run();
  const samples = Array.from({ length: RUNS }, run);
  const times = samples.map((s) => s.elapsed).sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]!, max: times.at(-1)!, files: samples[0]!.files };
}

/** Copies every shape of the service under a suffixed name, `factor` times, so the model grows without changing its kind. */
function scaled(ast: SmithyAst, factor: number): SmithyAst {
  const shapes: Record<string, AstShape> = { ...ast.shapes };
  const [serviceId, service] = Object.entries(ast.shapes).find(([, s]) => s.type === "service")!;
  const operations = [...(service.operations ?? [])];
  for (let copy = 1; copy < factor; copy++) {
    const rename = (id: string) => (id.startsWith("com.amazonaws.cognitoidentityprovider#") && id !== serviceId ? `${id}Copy${copy}` : id);
    for (const [id, shape] of Object.entries(ast.shapes)) {
      if (id === serviceId) continue;
      shapes[rename(id)] = JSON.parse(JSON.stringify(shape), (key, value) => (key === "target" && typeof value === "string" ? rename(value) : value)) as AstShape;
    }
    operations.push(...(service.operations ?? []).map((o) => ({ target: rename(o.target) })));
  }
  shapes[serviceId] = { ...service, operations };
  return { ...ast, shapes };
}

function writeModel(dir: string, ast: SmithyAst): void {
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of toYamlFiles(ast)) writeFileSync(path.join(dir, name), text);
}

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), "shapegen-bench-"));
  const rows: Row[] = [];
  try {
    const forgot = path.join(ROOT, "model/cognito-identity-provider");
    const forgotShapes = (JSON.parse(readFileSync(path.join(ROOT, "generated/cognito-identity-provider/smithy/model.json"), "utf8")) as SmithyAst).shapes;
    const full = time(["generate", forgot, "--out", path.join(work, "out"), "--force"]);
    const count = Object.keys(forgotShapes).length;
    rows.push({ name: "ForgotPassword model, every target, format cache warm", shapes: count, files: full.files, medianMs: full.median, minMs: full.min, maxMs: full.max, msPerShape: full.median / count, goalMs: 1500 });

    const cold = time(["generate", forgot, "--out", path.join(work, "out"), "--force"], true);
    rows.push({ name: "ForgotPassword model, every target, no format cache", shapes: count, files: cold.files, medianMs: cold.median, minMs: cold.min, maxMs: cold.max, msPerShape: cold.median / count, goalMs: 1500 });

    const noop = time(["generate", forgot, "--out", path.join(work, "out")]);
    rows.push({ name: "ForgotPassword model, nothing changed", shapes: count, files: 0, medianMs: noop.median, minMs: noop.min, maxMs: noop.max, msPerShape: noop.median / count, goalMs: 500 });

    const official = readSmithyJson(readFileSync(OFFICIAL, "utf8"), OFFICIAL);
    for (const factor of [1, 2, 4]) {
      const model = path.join(work, `cognito-${factor}x`);
      const ast = scaled(official, factor);
      writeModel(model, ast);
      const shapes = Object.keys(ast.shapes).length;
      if (factor === 1) {
        const cold = time(["generate", model, "--out", path.join(work, "out"), "--force"], true);
        rows.push({ name: "whole Cognito service 1x, no format cache", shapes, files: cold.files, medianMs: cold.median, minMs: cold.min, maxMs: cold.max, msPerShape: cold.median / shapes, goalMs: 5000 });
      }
      const result = time(["generate", model, "--out", path.join(work, "out"), "--force"]);
      rows.push({
        name: `whole Cognito service ${factor}x, every target, format cache warm`,
        shapes,
        files: result.files,
        medianMs: result.median,
        minMs: result.min,
        maxMs: result.max,
        msPerShape: result.median / shapes,
        goalMs: factor === 1 ? 5000 : undefined,
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }

  console.log(`\nshapegen generate: wall time of the CLI, median of ${RUNS} runs after a warm-up\n`);
  console.table(
    rows.map((r) => ({
      run: r.name,
      shapes: r.shapes,
      files: r.files,
      "median ms": Math.round(r.medianMs),
      "min ms": Math.round(r.minMs),
      "max ms": Math.round(r.maxMs),
      "ms per shape": r.msPerShape.toFixed(2),
      goal: r.goalMs === undefined ? "" : `< ${r.goalMs} ms: ${r.medianMs < r.goalMs ? "met" : "missed"}`,
    })),
  );
  const perShape = rows.filter((r) => r.name.startsWith("whole") && r.name.endsWith("format cache warm")).map((r) => r.msPerShape);
  console.log(`growth: ms per shape at 1x, 2x, 4x = ${perShape.map((x) => x.toFixed(2)).join(", ")} (flat or falling means no worse than linear)`);
  writeResults("generate", { runs: RUNS, rows });
}

main();
