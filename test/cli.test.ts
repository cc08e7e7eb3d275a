import { spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const MODEL = path.join(ROOT, "model/cognito-identity-provider");

function shapegen(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(ROOT, "codegen/cli.ts"), ...args], { cwd: ROOT, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Hashes every file under a folder, so a test can tell whether anything changed. */
function fingerprint(dir: string): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    hashes[path.relative(dir, file)] = createHash("sha256").update(readFileSync(file)).digest("hex");
  }
  return hashes;
}

describe("shapegen generate", () => {
  let work: string;
  let out: string;

  beforeAll(() => {
    work = mkdtempSync(path.join(tmpdir(), "shapegen-cli-"));
    out = path.join(work, "generated");
    const first = shapegen("generate", MODEL, "--out", out);
    expect(first.status, first.stderr).toBe(0);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("reports no drift right after generating", () => {
    const check = shapegen("generate", MODEL, "--out", out, "--check");

    expect(check.status, check.stderr).toBe(0);
    expect(check.stdout).toContain("is up to date");
  });

  it("fails --check after a hand edit and names the file", () => {
    const file = path.join(out, "cognito-identity-provider/src/types.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, `${original}// edited by hand\n`);
    try {
      const check = shapegen("generate", MODEL, "--out", out, "--check");

      expect(check.status).toBe(1);
      expect(check.stderr).toContain("changed: src/types.ts");
    } finally {
      writeFileSync(file, original);
    }
  });

  it("writes nothing and exits 1 when the model has errors", () => {
    const model = path.join(work, "cognito-identity-provider");
    cpSync(MODEL, model, { recursive: true });
    const shared = path.join(model, "shared.yaml");
    writeFileSync(shared, readFileSync(shared, "utf8").replace("target: StringType", "target: StringTyp").replace("max: 128", "max: -5"));
    const before = fingerprint(out);

    const run = shapegen("generate", model, "--out", out);

    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/shared\.yaml:\d+:\d+ - error SG1002: .*'StringTyp'\. Did you mean 'StringType'\?/);
    expect(run.stderr).toMatch(/shared\.yaml:\d+:\d+ - error SG2001: invalid value for trait 'length'/);
    expect(run.stderr).toContain("nothing was written");
    expect(fingerprint(out)).toEqual(before);
  });

  it("keeps and reports a file it did not write", () => {
    const foreign = path.join(out, "cognito-identity-provider/NOTES.txt");
    writeFileSync(foreign, "mine\n");

    const run = shapegen("generate", MODEL, "--out", out);

    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain("NOTES.txt was not written by shapegen; it was kept");
    expect(readFileSync(foreign, "utf8")).toBe("mine\n");
  });

  it("skips a run whose inputs did not change", () => {
    const again = shapegen("generate", MODEL, "--out", out);

    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain("is up to date (model, templates and generator unchanged)");
  });

  it("regenerates a file edited by hand even when inputs are unchanged", () => {
    const file = path.join(out, "cognito-identity-provider/src/types.ts");
    const original = readFileSync(file, "utf8");
    writeFileSync(file, "// broken\n");

    const run = shapegen("generate", MODEL, "--out", out);

    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/wrote \d+ files/);
    expect(readFileSync(file, "utf8")).toBe(original);
  });

  it("rejects an unknown target by name", () => {
    const run = shapegen("generate", MODEL, "--out", out, "--target", "typos");

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("unknown target 'typos'; the targets are package, types,");
  });
});

describe("shapegen generate --watch", () => {
  it("regenerates after edits and survives a model error", async () => {
    const work = mkdtempSync(path.join(tmpdir(), "shapegen-watch-"));
    const model = path.join(work, "cognito-identity-provider");
    cpSync(MODEL, model, { recursive: true });
    const child = spawn(process.execPath, ["--import", "tsx", path.join(ROOT, "codegen/cli.ts"), "generate", model, "--out", path.join(work, "out"), "--watch"], { cwd: ROOT });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    const waitFor = async (pattern: RegExp, count = 1) => {
      for (let waited = 0; waited < 30_000; waited += 100) {
        if ((output.match(new RegExp(pattern, "g")) ?? []).length >= count) return;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`timed out waiting for ${pattern}; output so far:\n${output}`);
    };

    try {
      await waitFor(/watching /);
      const file = path.join(model, readdirSync(model).find((name) => name.endsWith(".yaml") && name !== "service.yaml")!);
      const original = readFileSync(file, "utf8");

      writeFileSync(file, original.replace("type: structure", "type: structur"));
      await waitFor(/error SG1006/);
      expect(output).toContain("nothing was written");

      // A burst of edits is coalesced: five writes in a row give one regeneration, not five.
      const before = (output.match(/change detected/g) ?? []).length;
      for (let i = 0; i < 5; i++) writeFileSync(file, `${original}\n# edit ${i}\n`);
      await waitFor(/wrote \d+ files/, 2);
      await new Promise((resolve) => setTimeout(resolve, 800));
      const regenerations = (output.match(/change detected/g) ?? []).length - before;
      expect(regenerations).toBeGreaterThanOrEqual(1);
      expect(regenerations).toBeLessThan(5);
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
      rmSync(work, { recursive: true, force: true });
    }
  });
});

describe("shapegen import", () => {
  const official = path.join(ROOT, "../shared/models/aws/cognito-identity-provider.json");

  it("writes one file per operation and a model that loads", () => {
    const work = mkdtempSync(path.join(tmpdir(), "shapegen-import-"));
    try {
      const run = shapegen("import", official, "--operations", "ForgotPassword,ConfirmForgotPassword", "--out", work);

      expect(run.status, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/imported \d+ shapes/);
      expect(readdirSync(work).sort()).toEqual(["confirm-forgot-password.yaml", "errors.yaml", "forgot-password.yaml", "service.yaml", "shared.yaml"]);
      expect(readFileSync(path.join(work, "forgot-password.yaml"), "utf8")).toContain("  ForgotPasswordRequest:\n    type: structure");
      expect(readFileSync(path.join(work, "shared.yaml"), "utf8")).toContain("  UsernameType:\n    type: string");
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("keeps existing model files unless forced", () => {
    const work = mkdtempSync(path.join(tmpdir(), "shapegen-import-"));
    try {
      writeFileSync(path.join(work, "old.yaml"), "namespace: example.old\nshapes: {}\n");

      const refused = shapegen("import", official, "--operation", "ForgotPassword", "--out", work);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain("already has model files (old.yaml); pass --force to replace them");
      expect(readdirSync(work)).toEqual(["old.yaml"]);

      const forced = shapegen("import", official, "--operation", "ForgotPassword", "--out", work, "--force");
      expect(forced.status, forced.stderr).toBe(0);
      expect(readdirSync(work).sort()).toEqual(["forgot-password.yaml", "service.yaml"]);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });

  it("names a missing operation", () => {
    const run = shapegen("import", official, "--operation", "ForgotPasword", "--out", path.join(tmpdir(), "shapegen-unused"));

    expect(run.status).toBe(1);
    expect(run.stderr).toContain("operation 'com.amazonaws.cognitoidentityprovider#ForgotPasword' is not in the model");
  });
});
