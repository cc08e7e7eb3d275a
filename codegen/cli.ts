/**
 * The shapegen command line: generate, check, import, mock, docs and docs-serve.
 */
import { createHash } from "node:crypto";
import { watch } from "node:fs";
import { mkdir, readdir, readFile, writeFile, cp, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { ImportError, closureOf, onlyService, readSmithyJson, toYamlFiles } from "./import/smithy-json.js";
import { mergeIntoNamespace, readSmithyIdl } from "./import/smithy-idl.js";
import type { SmithyAst } from "./model/smithy-ast.js";
import { formatDiagnostic, type Diagnostic } from "./model/diagnostics.js";
import { loadModel } from "./model/index.js";
import { MODEL_SCHEMA_PATH, modelSchema } from "./model/schema.js";
import { checkUpToDate, compareOutput, writeOutput } from "./write.js";
import { BuildConfigError, buildConfigSchema, readBuildConfig, type BuildEntry } from "./build-config.js";
import { parse as parseYaml } from "yaml";

const BUILD_SCHEMA_PATH = "codegen/build.schema.json";
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const USAGE = `Usage: shapegen <command> [options]

Commands:
  generate [model-folder...]   generate every target into generated/<model-folder-name>/ (the models of
                               shapegen.yaml, or every folder under model/, when none is named)
      --check                  compare with generated/ instead of writing; exit 1 on any difference
      --watch                  regenerate when a model, template or generator file changes
      --force                  regenerate even when nothing changed since the last run
      --target <name>          run only this target (repeatable)
      --out <folder>           output root (default: generated)
  check [model-folder...]      load and check models, print diagnostics, write nothing
  import <smithy.json>         write a YAML model from a Smithy JSON AST, or from Smithy IDL 2.0 files (*.smithy)
      --out <folder>           the model folder to write (required)
      --operations <a,b>       keep only these operations and the shapes they reach
      --operation <name>       the same, one operation per option (repeatable)
      --service <id>           the service to import when the file has several
      --force                  replace the model files already in the folder
  mock [model-folder-name]     start the generated mock server (default: the first model)
      --port <n>               port to listen on (default: a free port)
      --host <address>         address to listen on (default: 127.0.0.1)
      --modeled-status         send the model's httpError status codes instead of 400
      --seed <file>            load user pools, clients and users from a JSON or YAML file
      --store <file>           keep the state in this SQLite file so it survives a restart (--seed then applies only to a new file)
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
  if (rest.includes("--help") || rest.includes("-h")) {
    process.stdout.write(USAGE);
    return 0;
  }
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
    options: { check: { type: "boolean" }, target: { type: "string", multiple: true }, out: { type: "string" }, watch: { type: "boolean" }, force: { type: "boolean" } },
  });
  if (values.watch && values.check) throw new UsageError("--watch and --check cannot be combined");
  const entries = await buildEntries(positionals, values.out, values.target);
  const run = () => buildAll(entries, { check: values.check ?? false, partial: values.target !== undefined, force: values.force ?? false });

  if (!values.watch) return (await run()) ? 0 : 1;
  await run();
  watchInputs(entries, run);
  return new Promise<number>(() => {});
}

/** Returns the models to build: those named on the command line, else shapegen.yaml's, else every folder under model/. */
async function buildEntries(positionals: readonly string[], out: string | undefined, targets: string[] | undefined): Promise<BuildEntry[]> {
  const configured = positionals.length === 0 ? await readBuildConfig(ROOT) : undefined;
  const base: BuildEntry[] =
    configured ??
    (await modelFolders(positionals)).map((model) => ({ model: path.resolve(model), out: path.join(ROOT, "generated", path.basename(path.resolve(model))), options: {} }));
  return base.map((entry) => ({
    ...entry,
    out: out === undefined ? entry.out : path.join(path.resolve(out), path.basename(entry.model)),
    targets: targets ?? entry.targets,
  }));
}

/** Builds every entry once; returns false when any model had errors or, with check, any output drifted. */
async function buildAll(entries: readonly BuildEntry[], mode: { check: boolean; partial: boolean; force: boolean }): Promise<boolean> {
  let ok = true;
  for (const entry of entries) ok = (await buildOne(entry, mode)) && ok;
  return ok;
}

async function buildOne(entry: BuildEntry, mode: { check: boolean; partial: boolean; force: boolean }): Promise<boolean> {
  const started = performance.now();
  const modelDir = relative(entry.model);
  const inputs = await inputsHash(entry);
  if (!mode.check && !mode.partial && !mode.force) {
    const { upToDate, foreign } = await checkUpToDate(entry.out, inputs);
    if (upToDate) {
      for (const file of foreign) console.warn(`warning: ${relative(path.join(entry.out, file))} was not written by shapegen; it was kept`);
      console.log(`${relative(entry.out)} is up to date (model, templates and generator unchanged)`);
      return true;
    }
  }

  // The pipeline loads ts-morph, Prettier and every target, so it is imported only when there is work to do.
  const { generate } = await import("./generate.js");
  const result = await generate({ modelDir: entry.model, templatesDir: path.join(ROOT, "templates"), targets: entry.targets, options: entry.options });
  printDiagnostics(result.diagnostics, result.sources);
  if (result.files === undefined) {
    const errors = result.diagnostics.filter((d) => d.severity === "error").length;
    console.error(`${modelDir}: ${errors} error${errors === 1 ? "" : "s"}; nothing was written`);
    return false;
  }
  for (const [step, ms] of result.timings) console.log(`  ${step.padEnd(12)} ${ms.toFixed(0).padStart(5)} ms`);

  if (mode.check) return !reportDrift(entry.out, await compareOutput(entry.out, result.files));
  if (mode.partial) {
    // A partial run would drop every other target's files from the swapped-in folder, so it writes only its own.
    for (const file of result.files) {
      await mkdir(path.dirname(path.join(entry.out, file.path)), { recursive: true });
      await writeFile(path.join(entry.out, file.path), file.contents);
    }
  } else {
    const { foreign } = await writeOutput(entry.out, result.files, inputs);
    for (const file of foreign) console.warn(`warning: ${relative(path.join(entry.out, file))} was not written by shapegen; it was kept`);
  }
  console.log(`wrote ${result.files.length} files to ${relative(entry.out)} in ${(performance.now() - started).toFixed(0)} ms`);
  return true;
}

/** Hashes what the output depends on: the model folder, the templates, the generator's code and the entry's settings. */
async function inputsHash(entry: BuildEntry): Promise<string> {
  const hash = createHash("sha256").update(JSON.stringify({ targets: entry.targets, options: entry.options }));
  for (const dir of [entry.model, path.join(ROOT, "templates"), path.join(ROOT, "codegen")]) {
    for (const file of await listFilesRecursively(dir)) hash.update(path.relative(ROOT, file)).update(await readFile(file));
  }
  return hash.digest("hex");
}

async function listFilesRecursively(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

/**
 * Watches the models, templates and generator, and rebuilds after a burst of
 * changes settles; a model with errors prints its diagnostics and the watch goes on.
 */
function watchInputs(entries: readonly BuildEntry[], run: () => Promise<boolean>): void {
  const SETTLE_MS = 200;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> = Promise.resolve();
  const schedule = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      running = running.then(() => {
        console.log(`change detected at ${new Date().toISOString()}; regenerating`);
        return run();
      });
    }, SETTLE_MS);
  };
  const folders = [...new Set([...entries.map((e) => e.model), path.join(ROOT, "templates"), path.join(ROOT, "codegen")])];
  for (const folder of folders) watch(folder, { recursive: true }, schedule);
  console.log(`watching ${folders.map(relative).join(", ")} for changes; press Ctrl+C to stop`);
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
  const idl = positionals.length > 0 && positionals.every((name) => name.endsWith(".smithy"));
  if (positionals.length !== 1 && !idl) throw new UsageError("import takes one Smithy JSON AST file, or one or more Smithy IDL (.smithy) files");
  if (values.out === undefined) throw new UsageError("import needs --out <model folder>");
  const out = values.out;
  const existing = (await readdir(out).catch(() => [])).filter((name) => /\.ya?ml$/.test(name));
  if (existing.length > 0 && !values.force) {
    throw new UsageError(`${out} already has model files (${existing.join(", ")}); pass --force to replace them`);
  }

  const file = positionals.join(", ");
  let ast = idl
    ? readSmithyIdl(await Promise.all(positionals.map(async (name) => ({ file: name, text: await readFile(name, "utf8") }))))
    : readSmithyJson(await readFile(positionals[0]!, "utf8"), positionals[0]!);
  if (values.service !== undefined) ast = onlyService(ast, values.service);
  if (idl) ast = mergeIntoNamespace(ast, serviceNamespace(ast));
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

/** Returns the namespace of the AST's one service, which the IDL import moves shared shapes into. */
function serviceNamespace(ast: SmithyAst): string {
  const services = Object.keys(ast.shapes).filter((id) => ast.shapes[id]!.type === "service");
  if (services.length !== 1) throw new ImportError(`expected exactly one service shape in the model, found ${services.length}; choose one with --service`);
  return services[0]!.slice(0, services[0]!.indexOf("#"));
}

async function runSchema(args: readonly string[]): Promise<number> {
  const { values } = parseArgs({ args: [...args], options: { check: { type: "boolean" } } });
  let ok = true;
  for (const [name, schema] of [
    [MODEL_SCHEMA_PATH, modelSchema()],
    [BUILD_SCHEMA_PATH, buildConfigSchema()],
  ] as const) {
    const file = path.join(ROOT, name);
    const text = `${JSON.stringify(schema, null, 2)}\n`;
    if (!values.check) {
      await writeFile(file, text);
      console.log(`wrote ${name}`);
    } else if ((await readFile(file, "utf8").catch(() => "")) !== text) {
      console.error(`${name} is out of date; run \`npx shapegen schema\``);
      ok = false;
    }
  }
  return ok ? 0 : 1;
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
    options: { port: { type: "string" }, host: { type: "string" }, "modeled-status": { type: "boolean" }, seed: { type: "string" }, store: { type: "string" } },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  const seed = values.seed === undefined ? undefined : parseYaml(await readFile(values.seed, "utf8"));
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${values.port}': expected an integer from 0 to 65535`);

  const dir = await packageFolder(positionals[0]);
  const module = (await import(pathToFileURL(path.join(dir, "src", "mock-server.ts")).href)) as {
    startMockServer: (options: object) => Promise<{ url: string; close(): Promise<void> }>;
  };
  const server = await module
    .startMockServer({ port, host: values.host ?? "127.0.0.1", useModeledStatus: values["modeled-status"] ?? false, seed, store: values.store, logger: (await import("pino")).pino({ base: { service: path.basename(dir) } }) })
    .catch((error: unknown) => {
      if (error instanceof Error && error.name === "SeedError") throw new UsageError(`--seed ${values.seed}: ${error.message}`);
      if (error instanceof Error && error.name === "StateFileError") throw new UsageError(`--store ${values.store}: ${error.message}`);
      throw error;
    });
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise<number>(() => {});
}

async function runDocs(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { out: { type: "string" }, "base-path": { type: "string" } } });
  const out = path.resolve(values.out ?? "site");
  const basePath = values["base-path"];

  let files: { path: string; contents: string }[];
  let source: string;
  if (basePath === undefined) {
    // Without a base path the site is the committed one, so it is copied as it is.
    const dir = await packageFolder(positionals[0]);
    source = relative(path.join(dir, "docs"));
    await rm(out, { recursive: true, force: true });
    await cp(path.join(dir, "docs"), out, { recursive: true });
    files = [];
  } else {
    const modelDir = positionals[0] === undefined ? (await modelFolders([]))[0] : path.join("model", positionals[0]);
    if (modelDir === undefined) throw new UsageError("no model folder under model/");
    const result = await loadModel(path.resolve(ROOT, modelDir));
    printDiagnostics(result.diagnostics, result.sources);
    if (result.model === undefined) return 1;
    const packageName = path.basename(modelDir);
    try {
      const { generateDocsSite } = await import("./targets/docs/index.js");
      const { serviceInfo } = await import("./targets/common/service.js");
      files = await generateDocsSite(
        { model: result.model, service: serviceInfo(result.model), packageName, templatesDir: path.join(ROOT, "templates") },
        { basePath },
      );
    } catch (error) {
      if (error instanceof Error && error.name === "DocsError") throw new UsageError(`--base-path: ${error.message}`);
      throw error;
    }
    source = modelDir;
    await rm(out, { recursive: true, force: true });
    for (const file of files) {
      const target = path.join(out, file.path.replace(/^docs\//, ""));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, file.contents);
    }
  }

  const where = basePath === undefined ? "" : ` for hosting under ${basePath}`;
  console.log(`wrote the documentation site from ${source} to ${relative(out)}${where}; open ${relative(path.join(out, "index.html"))}`);
  return 0;
}

async function runDocsServe(args: readonly string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: [...args], allowPositionals: true, options: { port: { type: "string" }, "base-path": { type: "string" } } });
  const port = Number(values.port ?? 8080);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port '${values.port}': expected an integer from 0 to 65535`);
  const root = path.resolve(positionals[0] ?? "site");
  const exists = await readdir(root).then(
    () => true,
    () => false,
  );
  if (!exists) throw new UsageError(`no site folder '${relative(root)}'; build one with \`npm run docs:build -- --out ${relative(root)}\``);

  const basePath = values["base-path"] ?? "/";
  if (!/^\/([^?#\s]*\/)?$/.test(basePath)) throw new UsageError(`invalid --base-path '${basePath}': expected a path that starts and ends with '/', such as '/api/'`);
  const { serveStatic } = await import("./serve.js");
  const server = await serveStatic(root, port, basePath);
  console.log(`serving ${relative(root)} on ${server.url}${basePath}`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise<number>(() => {});
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof UsageError || (error instanceof TypeError && "code" in error && String(error.code).startsWith("ERR_PARSE_ARGS"))) {
      console.error(`error: ${(error as Error).message}\n\n${USAGE}`);
      process.exit(2);
    }
    // Errors a user can fix from the message; the heavy modules that define some of them are loaded lazily, so they are matched by name.
    const userErrors = ["ServiceError", "UnknownTargetError", "BuildConfigError"];
    if (error instanceof ImportError || (error instanceof Error && userErrors.includes(error.name))) {
      console.error(`error: ${error.message}`);
      process.exit(1);
    }
    throw error;
  },
);
