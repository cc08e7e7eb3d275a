/**
 * The shapegen command line: generate, check, import, mock, docs and docs-serve.
 */
import { mkdir, readdir, readFile, writeFile, cp, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { UnknownTargetError, generate } from "./generate.js";
import { ImportError, closureOf, onlyService, readSmithyJson, toYamlFiles } from "./import/smithy-json.js";
import { formatDiagnostic, type Diagnostic } from "./model/diagnostics.js";
import { loadModel } from "./model/index.js";
import { MODEL_SCHEMA_PATH, modelSchema } from "./model/schema.js";
import { ServiceError } from "./targets/common/service.js";
import { compareOutput, writeOutput } from "./write.js";
import { serveStatic } from "./serve.js";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = `Usage: shapegen <command> [options]

Commands:
  generate [model-folder...]   generate every target into generated/<model-folder-name>/
      --check                  compare with generated/ instead of writing; exit 1 on any difference
      --target <name>          run only this target (repeatable)
      --out <folder>           output root (default: generated)
  check [model-folder...]      load and check models, print diagnostics, write nothing
  import <smithy.json>         write a YAML model from a Smithy JSON AST
      --out <folder>           the model folder to write (required)
      --operations <a,b>       keep only these operations and the shapes they reach
      --operation <name>       the same, one operation per option (repeatable)
      --service <id>           the service to import when the file has several
      --force                  replace the model files already in the folder
  mock [model-folder-name]     start the generated mock server (default: the first model)
      --port <n>               port to listen on (default: a free port)
      --host <address>         address to listen on (default: 127.0.0.1)
      --modeled-status         send the model's httpError status codes instead of 400
  docs [model-folder-name]     copy the generated documentation site into a folder ready to upload
      --out <folder>           where to write the site (default: site)
  schema                       write the JSON Schema of model files to codegen/model/model.schema.json
      --check                  exit 1 when the committed schema is out of date
  docs-serve [folder]          serve a built site on a loopback port (default folder: site)
      --port <n>               port to listen on (default: 8080)
`;

/** A command-line mistake: printed with the usage, exit code 2. */
class UsageError extends Error {
  override readonly name = "UsageError";
}

async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  switch (command) {
    case "generate":
      return runGenerate(rest);
    case "check":
      return runCheck(rest);
    case "import":
      return runImport(rest);
    case "mock":
      return runMock(rest);
    case "docs":
      return runDocs(rest);
    case "schema":
      return runSchema(rest);
    case "docs-serve":
      return runDocsServe(rest);
    case undefined:
    case "help":
    case "--help":
    case "-h":
      process.stdout.write(USAGE);
      return command === undefined ? 2 : 0;
    default:
      throw new UsageError(`unknown command '${command}'`);
  }
}

/** Returns the model folders named on the command line, or every folder under model/. */
async function modelFolders(positionals: readonly string[]): Promise<string[]> {
  if (positionals.length > 0) return [...positionals];
  const entries = await readdir(path.join(ROOT, "model"), { withFileTypes: true });
  return entries
    .filter((e) => e.isDirectory())
    .map((e) => path.join("model", e.name))
    .sort();
}

function relative(file: string): string {
  return path.relative(process.cwd(), file) || ".";
}

async function runGenerate(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { check: { type: "boolean" }, target: { type: "string", multiple: true }, out: { type: "string" } },
  });
  const outRoot = path.resolve(values.out ?? path.join(ROOT, "generated"));
  let failed = false;

  for (const modelDir of await modelFolders(positionals)) {
    const started = performance.now();
    const result = await generate({ modelDir, templatesDir: path.join(ROOT, "templates"), targets: values.target });
    printDiagnostics(result.diagnostics, result.sources);
    if (result.files === undefined) {
      const errors = result.diagnostics.filter((d) => d.severity === "error").length;
      console.error(`${modelDir}: ${errors} error${errors === 1 ? "" : "s"}; nothing was written`);
      failed = true;
      continue;
    }
    for (const [step, ms] of result.timings) console.log(`  ${step.padEnd(12)} ${ms.toFixed(0).padStart(5)} ms`);

    const outDir = path.join(outRoot, result.packageName);
    if (values.check) {
      failed = reportDrift(outDir, await compareOutput(outDir, result.files)) || failed;
      continue;
    }
    if (values.target !== undefined) {
      // A partial run would drop every other target's files from the swapped-in folder, so it writes only its own.
      for (const file of result.files) {
        await mkdir(path.dirname(path.join(outDir, file.path)), { recursive: true });
        await writeFile(path.join(outDir, file.path), file.contents);
      }
    } else {
      const { foreign } = await writeOutput(outDir, result.files);
      for (const file of foreign) console.warn(`warning: ${relative(path.join(outDir, file))} was not written by shapegen; it was kept`);
    }
    console.log(`wrote ${result.files.length} files to ${relative(outDir)} in ${(performance.now() - started).toFixed(0)} ms`);
  }
  return failed ? 1 : 0;
}

function reportDrift(outDir: string, drift: Awaited<ReturnType<typeof compareOutput>>): boolean {
  const lines = [
    ...drift.changed.map((f) => `  changed: ${f}`),
    ...drift.missing.map((f) => `  missing: ${f}`),
    ...drift.stale.map((f) => `  stale (no longer generated): ${f}`),
  ];
  for (const file of drift.foreign) console.warn(`warning: ${relative(path.join(outDir, file))} was not written by shapegen`);
  if (lines.length === 0) {
    console.log(`${relative(outDir)} is up to date`);
    return false;
  }
  console.error(`${relative(outDir)} differs from what the model generates:\n${lines.join("\n")}\nRun \`npm run generate\` and commit the result.`);
  return true;
}

async function runCheck(args: readonly string[]): Promise<number> {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, options: {} });
  let failed = false;
  for (const modelDir of await modelFolders(positionals)) {
    const result = await loadModel(modelDir);
    printDiagnostics(result.diagnostics, result.sources);
    if (result.model === undefined) failed = true;
    else console.log(`${modelDir}: ${result.model.shapes.size} shapes, no errors`);
  }
  return failed ? 1 : 0;
}

function printDiagnostics(diagnostics: readonly Diagnostic[], sources: ReadonlyMap<string, string>): void {
  for (const d of diagnostics) console.error(`${formatDiagnostic(d, sources)}\n`);
}

async function runImport(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      out: { type: "string" },
      operation: { type: "string", multiple: true },
      operations: { type: "string" },
      service: { type: "string" },
      force: { type: "boolean" },
    },
  });
  if (positionals.length !== 1) throw new UsageError("import takes one Smithy JSON AST file");
  if (values.out === undefined) throw new UsageError("import needs --out <model folder>");
  const out = values.out;
  const existing = (await readdir(out).catch(() => [])).filter((name) => /\.ya?ml$/.test(name));
  if (existing.length > 0 && !values.force) {
    throw new UsageError(`${out} already has model files (${existing.join(", ")}); pass --force to replace them`);
  }

  const file = positionals[0]!;
  let ast = readSmithyJson(await readFile(file, "utf8"), file);
  if (values.service !== undefined) ast = onlyService(ast, values.service);
  const operations = [...(values.operation ?? []), ...(values.operations?.split(",").map((name) => name.trim()).filter(Boolean) ?? [])];
  if (operations.length > 0) ast = closureOf(ast, operations);
  const files = toYamlFiles(ast);

  await mkdir(out, { recursive: true });
  for (const name of existing) await rm(path.join(out, name));
  for (const [name, text] of files) await writeFile(path.join(out, name), text);
  console.log(`imported ${Object.keys(ast.shapes).length} shapes from ${file} into ${out}: ${files.size} files`);

  const check = await loadModel(out);
  printDiagnostics(check.diagnostics, check.sources);
  return check.model === undefined ? 1 : 0;
}

async function runSchema(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { check: { type: "boolean" } } });
  const file = path.join(ROOT, MODEL_SCHEMA_PATH);
  const text = `${JSON.stringify(modelSchema(), null, 2)}\n`;
  if (values.check) {
    const current = await readFile(file, "utf8").catch(() => "");
    if (current === text) return 0;
    console.error(`${MODEL_SCHEMA_PATH} is out of date; run \`npx shapegen schema\``);
    return 1;
  }
  await writeFile(file, text);
  console.log(`wrote ${MODEL_SCHEMA_PATH}`);
  return 0;
}

async function packageFolder(name: string | undefined): Promise<string> {
  const folder = name ?? path.basename((await modelFolders([]))[0] ?? "");
  const dir = path.join(ROOT, "generated", folder);
  const exists = await readdir(dir).then(
    () => true,
    () => false,
  );
  if (!exists) throw new UsageError(`no generated package '${folder}' in generated/; run \`npm run generate\` first`);
  return dir;
}

async function runMock(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { port: { type: "string" }, host: { type: "string" }, "modeled-status": { type: "boolean" } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${values.port}': expected an integer from 0 to 65535`);

  const dir = await packageFolder(positionals[0]);
  const module = (await import(pathToFileURL(path.join(dir, "src", "mock-server.ts")).href)) as {
    startMockServer: (options: object) => Promise<{ url: string; close(): Promise<void> }>;
  };
  const server = await module.startMockServer({
    port,
    host: values.host ?? "127.0.0.1",
    useModeledStatus: values["modeled-status"] ?? false,
    log: (line: object) => console.log(JSON.stringify(line)),
  });
  console.log(`mock server for ${path.basename(dir)} listening on ${server.url}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise<number>(() => {});
}

async function runDocs(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: "string" } } });
  const dir = await packageFolder(positionals[0]);
  const out = path.resolve(values.out ?? "site");
  await rm(out, { recursive: true, force: true });
  await cp(path.join(dir, "docs"), out, { recursive: true });
  console.log(`wrote the documentation site of ${path.basename(dir)} to ${relative(out)}; open ${relative(path.join(out, "index.html"))}`);
  return 0;
}

async function runDocsServe(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { port: { type: "string" } } });
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${values.port}': expected an integer from 0 to 65535`);
  const url = await serveStatic(path.resolve(positionals[0] ?? "site"), port);
  console.log(`serving ${relative(path.resolve(positionals[0] ?? "site"))} on ${url}`);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    if (error instanceof ImportError || error instanceof ServiceError || error instanceof UnknownTargetError) {
      console.error(`error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  },
);
