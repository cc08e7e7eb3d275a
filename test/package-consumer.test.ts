/**
 * The generated package as a consumer gets it from `npm pack`: the tarball
 * holds the compiled dist, the docs and the Smithy model and nothing else,
 * package.json declares exactly the packages dist imports, and a throwaway
 * project that installs the tarball type-checks (strict, NodeNext) and runs
 * a ForgotPassword call through the client against the mock server on
 * 127.0.0.1.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const PACKAGE_DIR = path.join(ROOT, "generated/cognito-identity-provider");
const TSC = path.join(ROOT, "node_modules/typescript/bin/tsc");

interface PackageJson {
  name: string;
  version: string;
  type?: string;
  main?: string;
  types?: string;
  sideEffects?: boolean;
  exports?: Record<string, string | { types?: string; import?: string }>;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

let workDir: string;
let tarball: string;
/** Paths inside the tarball, without npm's `package/` prefix. */
let packedFiles: string[];
/** The tarball unpacked, to read package.json and scan dist as a consumer receives them. */
let unpacked: string;
let manifest: PackageJson;

beforeAll(() => {
  // vitest's global setup (test/setup/build-generated.ts) has already compiled src/ to dist/.
  workDir = mkdtempSync(path.join(os.tmpdir(), "shapegen-pack-"));
  const packed = JSON.parse(execFileSync("npm", ["pack", "--pack-destination", workDir, "--json"], { cwd: PACKAGE_DIR, encoding: "utf8" })) as { filename: string }[];
  tarball = path.join(workDir, packed[0]!.filename);

  packedFiles = execFileSync("tar", ["-tzf", tarball], { encoding: "utf8" })
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => line.replace(/^package\//, ""))
    .sort();
  unpacked = path.join(workDir, "unpacked");
  mkdirSync(unpacked);
  execFileSync("tar", ["-xzf", tarball, "-C", unpacked, "--strip-components=1"]);
  manifest = JSON.parse(readFileSync(path.join(unpacked, "package.json"), "utf8")) as PackageJson;
});

afterAll(() => {
  if (workDir !== undefined) rmSync(workDir, { recursive: true, force: true });
});

/** Every TypeScript source of the package, as paths relative to src/ without the extension. */
function sourceModules(): string[] {
  const src = path.join(PACKAGE_DIR, "src");
  return readdirSync(src, { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts") && !file.endsWith(".d.ts"))
    .map((file) => file.slice(0, -3).split(path.sep).join("/"))
    .sort();
}

/** The package names a JavaScript module imports, statically or with `import()`; relative and built-in modules are left out. */
function bareImports(source: string): { static: Set<string>; dynamic: Set<string> } {
  const found = { static: new Set<string>(), dynamic: new Set<string>() };
  const packageOf = (specifier: string) => (specifier.startsWith("@") ? specifier.split("/").slice(0, 2).join("/") : specifier.split("/")[0]!);
  const keep = (specifier: string) => !specifier.startsWith(".") && !specifier.startsWith("/") && !isBuiltin(specifier);
  for (const match of source.matchAll(/^\s*(?:import|export)\b[^;]*?\bfrom\s*["']([^"']+)["']|^\s*import\s*["']([^"']+)["']/gm)) {
    const specifier = match[1] ?? match[2]!;
    if (keep(specifier)) found.static.add(packageOf(specifier));
  }
  for (const match of source.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) {
    if (keep(match[1]!)) found.dynamic.add(packageOf(match[1]!));
  }
  return found;
}

describe("npm pack of the generated package", () => {
  it("contains dist JavaScript and declarations for every source module, and nothing stale", () => {
    const modules = sourceModules();
    expect(modules).toContain("index");
    expect(modules).toContain("client");
    for (const module of modules) {
      expect(packedFiles).toContain(`dist/${module}.js`);
      expect(packedFiles).toContain(`dist/${module}.d.ts`);
    }

    // A dist file without a source is left over from a module that was removed or renamed.
    const distModules = packedFiles.filter((file) => file.startsWith("dist/")).map((file) => file.replace(/^dist\//, "").replace(/\.(d\.ts|js)$/, ""));
    expect([...new Set(distModules)].sort()).toEqual(modules);
  });

  it("tarball ships only built files", () => {
    expect(packedFiles).toContain("package.json");
    expect(packedFiles).toContain("README.md");
    expect(packedFiles).toContain("docs/index.html");
    expect(packedFiles).toContain("smithy/model.json");

    const allowed = /^(package\.json|README\.md|dist\/.+\.(js|d\.ts)|docs\/.+|smithy\/model\.json)$/;
    expect(packedFiles.filter((file) => !allowed.test(file))).toEqual([]);
    expect(packedFiles.filter((file) => /(^|\/)src\/|\.test\.|\.spec\.|tsconfig|\.shapegen-manifest|\.map$/.test(file))).toEqual([]);
  });

  it("has a package.json with name, version, entry points and no side effects", () => {
    expect(manifest.name).toBe("cognito-identity-provider");
    expect(manifest.version).toBe("2016.4.18");
    expect(manifest.type).toBe("module");
    expect(manifest.sideEffects).toBe(false);
    expect(packedFiles).toContain(manifest.types!.replace(/^\.\//, ""));
    expect(packedFiles).toContain(manifest.main!.replace(/^\.\//, ""));

    const exports = manifest.exports!;
    expect(Object.keys(exports)).toEqual(expect.arrayContaining([".", "./client", "./mock-server", "./package.json"]));
    for (const [subpath, target] of Object.entries(exports)) {
      const files = typeof target === "string" ? [target] : [target.types!, target.import!];
      for (const file of files) expect(packedFiles, `export '${subpath}'`).toContain(file.replace(/^\.\//, ""));
    }
  });

  it("declares exactly the packages that dist imports", () => {
    const imports = { static: new Set<string>(), dynamic: new Set<string>() };
    const dist = path.join(unpacked, "dist");
    for (const file of readdirSync(dist, { recursive: true, encoding: "utf8" }).filter((name) => name.endsWith(".js"))) {
      const found = bareImports(readFileSync(path.join(dist, file), "utf8"));
      found.static.forEach((name) => imports.static.add(name));
      found.dynamic.forEach((name) => imports.dynamic.add(name));
    }
    const dependencies = Object.keys(manifest.dependencies ?? {}).sort();
    const optional = Object.keys(manifest.optionalDependencies ?? {}).sort();

    // A static import must resolve for every consumer, so it is a regular dependency; an optional one is only ever imported lazily.
    expect([...imports.static].sort()).toEqual(dependencies);
    expect(optional.filter((name) => !imports.dynamic.has(name))).toEqual([]);
    expect([...imports.dynamic].filter((name) => !dependencies.includes(name) && !optional.includes(name))).toEqual([]);
  });
});

// ---------------------------------------------------------------------------

const CONSUMER_SOURCE = `import { CognitoIdentityProviderClient, UserNotFoundException, type DeliveryMediumType, type ForgotPasswordResponse } from "cognito-identity-provider";
import { startMockServer } from "cognito-identity-provider/mock-server";

const server = await startMockServer({
  host: "127.0.0.1",
  port: 0,
  log: () => {},
  handlers: {
    ForgotPassword: (input) => {
      if (input.Username === "nobody") throw new UserNotFoundException({ message: "Username/client id combination not found." });
      return { CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } };
    },
  },
});

try {
  const client = new CognitoIdentityProviderClient({ endpoint: server.url, maxAttempts: 1 });
  const response: ForgotPasswordResponse = await client.forgotPassword({ ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5", Username: "alice" });
  const medium: DeliveryMediumType | undefined = response.CodeDeliveryDetails?.DeliveryMedium;

  const failure = await client.forgotPassword({ ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5", Username: "nobody" }).catch((error: unknown) => error);
  const typedError = failure instanceof UserNotFoundException ? { name: failure.name, status: failure.$metadata.httpStatusCode } : { name: String(failure) };

  console.log(JSON.stringify({ url: server.url, destination: response.CodeDeliveryDetails?.Destination, medium, error: typedError }));
} finally {
  await server.close();
}

/** Never called: it only has to type-check, and fails to when the client's input type loses its required members. */
export function missingUsername(client: CognitoIdentityProviderClient): Promise<ForgotPasswordResponse> {
  // @ts-expect-error Username is required by ForgotPasswordRequest.
  return client.forgotPassword({ ClientId: "client" });
}
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: "ES2022",
    module: "NodeNext",
    moduleResolution: "NodeNext",
    strict: true,
    skipLibCheck: false,
    types: ["node"],
    outDir: "dist",
  },
  include: ["consumer.ts"],
};

describe("a consumer project that installs the tarball", () => {
  let consumerDir: string;
  let installNote = "";
  let typeCheck: { status: number; output: string };

  beforeAll(() => {
    consumerDir = path.join(workDir, "consumer");
    mkdirSync(consumerDir);
    writeFileSync(path.join(consumerDir, "package.json"), `${JSON.stringify({ name: "shapegen-consumer", private: true, type: "module" }, null, 2)}\n`);

    // --omit=optional and --ignore-scripts leave out better-sqlite3, whose native build takes minutes; the consumer does not use the mock's store option.
    const install = ["install", tarball, "--offline", "--no-audit", "--no-fund", "--omit=optional", "--ignore-scripts"];
    try {
      execFileSync("npm", install, { cwd: consumerDir, stdio: "pipe", timeout: 40_000 });
    } catch {
      // Without network access or the dependencies in npm's cache, npm cannot resolve the tarball's dependencies. The fallback
      // unpacks the tarball where npm would put it and links its dependencies from shapegen's own node_modules instead.
      const installed = path.join(consumerDir, "node_modules", manifest.name);
      mkdirSync(installed, { recursive: true });
      execFileSync("tar", ["-xzf", tarball, "-C", installed, "--strip-components=1"]);
      for (const name of Object.keys(manifest.dependencies ?? {})) linkFromShapegen(consumerDir, name);
      installNote = "(linked from shapegen's node_modules because npm install --offline failed)";
    }
    // A consumer of the mock server's types needs @types/node, as a devDependency it would install itself.
    linkFromShapegen(consumerDir, "@types/node");
    writeFileSync(path.join(consumerDir, "tsconfig.json"), `${JSON.stringify(CONSUMER_TSCONFIG, null, 2)}\n`);
    writeFileSync(path.join(consumerDir, "consumer.ts"), CONSUMER_SOURCE);
    typeCheck = runTsc(consumerDir);
  }, 60_000);

  it("installs the package under its name, with its dependencies", () => {
    const installed = JSON.parse(readFileSync(path.join(consumerDir, "node_modules/cognito-identity-provider/package.json"), "utf8")) as PackageJson;
    expect(installed.version).toBe(manifest.version);
    for (const name of Object.keys(manifest.dependencies ?? {})) expect(existsSync(path.join(consumerDir, "node_modules", name, "package.json")), `${name} ${installNote}`).toBe(true);
  });

  it("type-checks a strict NodeNext consumer against the package's declarations", () => {
    expect(typeCheck.output).toBe("");
    expect(typeCheck.status).toBe(0);
    expect(existsSync(path.join(consumerDir, "dist/consumer.js"))).toBe(true);
  });

  it("rejects a consumer that uses the client with the wrong types", () => {
    const wrongDir = path.join(workDir, "consumer-wrong");
    mkdirSync(wrongDir);
    symlinkSync(path.join(consumerDir, "node_modules"), path.join(wrongDir, "node_modules"), "dir");
    writeFileSync(path.join(wrongDir, "package.json"), `${JSON.stringify({ name: "shapegen-consumer-wrong", private: true, type: "module" })}\n`);
    // The package's own declarations were checked above, so this project skips them to save a few seconds.
    const tsconfig = { ...CONSUMER_TSCONFIG, compilerOptions: { ...CONSUMER_TSCONFIG.compilerOptions, skipLibCheck: true, noEmit: true } };
    writeFileSync(path.join(wrongDir, "tsconfig.json"), `${JSON.stringify(tsconfig)}\n`);
    writeFileSync(
      path.join(wrongDir, "consumer.ts"),
      `import { CognitoIdentityProviderClient } from "cognito-identity-provider";\nconst client = new CognitoIdentityProviderClient({ region: "us-east-1" });\nexport const call = client.forgotPassword({ ClientId: 42, Username: "alice" });\n`,
    );

    const result = runTsc(wrongDir);
    expect(result.status).not.toBe(0);
    expect(result.output).toMatch(/consumer\.ts\(3,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
  });

  it("runs ForgotPassword through the client against the mock server on 127.0.0.1", () => {
    expect(typeCheck.status).toBe(0);
    const stdout = execFileSync(process.execPath, ["dist/consumer.js"], { cwd: consumerDir, encoding: "utf8", timeout: 20_000 });
    const result = JSON.parse(stdout.trim().split("\n").at(-1)!) as { url: string; destination?: string; medium?: string; error: { name: string; status?: number } };

    expect(result.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.destination).toBe("a***@e***");
    expect(result.medium).toBe("EMAIL");
    expect(result.error).toEqual({ name: "UserNotFoundException", status: 400 });
  });
});

/** Runs tsc on a project and returns its exit status and diagnostics. */
function runTsc(project: string): { status: number; output: string } {
  try {
    const output = execFileSync(process.execPath, [TSC, "-p", project], { cwd: project, encoding: "utf8", stdio: "pipe", timeout: 30_000 });
    return { status: 0, output };
  } catch (error) {
    const failed = error as { status: number | null; stdout?: string; stderr?: string };
    return { status: failed.status ?? 1, output: `${failed.stdout ?? ""}${failed.stderr ?? ""}` };
  }
}

/** Links a package from shapegen's own node_modules into a consumer's. */
function linkFromShapegen(consumerDir: string, name: string): void {
  const target = path.join(consumerDir, "node_modules", name);
  if (existsSync(target)) return;
  mkdirSync(path.dirname(target), { recursive: true });
  symlinkSync(path.join(ROOT, "node_modules", name), target, "dir");
}
