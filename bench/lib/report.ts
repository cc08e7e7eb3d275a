/**
 * Writes a benchmark's figures as JSON to bench/results/<name>.json, with
 * the machine they were measured on.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** Writes the figures and prints where they went. */
export function writeResults(name: string, figures: unknown): void {
  const dir = path.resolve(import.meta.dirname, "../results");
  mkdirSync(dir, { recursive: true });
  const machine = { cpu: os.cpus()[0]?.model ?? "unknown", cores: os.cpus().length, memoryGiB: Math.round(os.totalmem() / 2 ** 30), node: process.version, platform: `${os.type()} ${os.release()}` };
  const file = path.join(dir, `${name}.json`);
  writeFileSync(file, `${JSON.stringify({ benchmark: name, measuredAt: new Date().toISOString(), machine, figures }, null, 2)}\n`);
  console.log(`figures written to ${path.relative(process.cwd(), file)}`);
}
