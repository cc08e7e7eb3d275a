/**
 * Runs every benchmark script in bench/, one after another, or only those
 * whose names are given: `npm run bench -- generate validators`.
 */
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";

const BENCH = import.meta.dirname;
const available = readdirSync(BENCH)
  .filter((name) => name.endsWith(".ts") && name !== "run.ts")
  .map((name) => name.slice(0, -3))
  .sort();
const requested = process.argv.slice(2);
for (const name of requested) {
  if (!available.includes(name)) {
    console.error(`unknown benchmark '${name}'; the benchmarks are ${available.join(", ")}`);
    process.exit(2);
  }
}

let failed = false;
for (const name of requested.length > 0 ? requested : available) {
  console.log(`\n=== bench/${name}.ts ===`);
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(BENCH, `${name}.ts`)], { stdio: "inherit" });
  if (result.status !== 0) {
    console.error(`bench/${name}.ts failed with exit code ${result.status}`);
    failed = true;
  }
}
process.exit(failed ? 1 : 0);
