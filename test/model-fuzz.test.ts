import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../codegen/generate.js";
import { writeOutput } from "../codegen/write.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const TEMPLATES = path.join(ROOT, "templates");
const MODEL = path.join(ROOT, "model/cognito-identity-provider");
/** A bound per run, far above a normal load (well under a second), so only a hang or a blow-up trips it. */
const RUN_BOUND_MS = 20_000;

/** Mutations a careless or hostile edit can make to a YAML file. */
const mutations: fc.Arbitrary<(text: string) => string | Buffer>[] = [
  fc.nat().map((n) => (text: string) => {
    const lines = text.split("\n");
    lines.splice(n % lines.length, 1);
    return lines.join("\n");
  }),
  fc.tuple(fc.nat(), fc.string({ unit: "binary", maxLength: 40 })).map(([n, junk]) => (text: string) => {
    const at = n % (text.length + 1);
    return text.slice(0, at) + junk + text.slice(at);
  }),
  fc.constantFrom("type: structure", "required: true", "max: 128", "target: StringType", "enumValue: SMS").chain((needle) =>
    fc.constantFrom("type: []", "required: 7", "max: 1e400", "target: {}", "enumValue: [1, 2]", "max: -0.5", "type: ~").map((replacement) => (text: string) => text.replace(needle, replacement)),
  ),
  fc.constant((text: string) => `${text}\n  Bomb:\n    type: string\n    traits:\n      a.b#c: &a [x, x, x, x, x, x, x, x, x, x]\n      a.b#d: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n      a.b#e: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n      a.b#f: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`),
  fc.integer({ min: 100, max: 5000 }).map((depth) => (text: string) => `${text}\n  Deep:\n    type: string\n    traits:\n      a.b#deep: ${"[".repeat(depth)}${"]".repeat(depth)}\n`),
  fc.constant((text: string) => text.replace(/\n {2}(\w+):\n/, "\n  $1:\n    type: string\n  $1:\n")),
  fc.constant((text: string) => Buffer.concat([Buffer.from(text.slice(0, 50)), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(text.slice(50))])),
  fc.constant((text: string) => text.replace("shapes:", "shapes:\n  Huge:\n    type: integer\n    range: { min: 99999999999999999999999999999, max: 1 }")),
];

function fingerprint(dir: string): string {
  const hash = createHash("sha256");
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name)).sort()) {
    hash.update(entry).update(readFileSync(entry));
  }
  return hash.digest("hex");
}

describe("generator on mutated models", () => {
  let work: string;
  let out: string;
  const files = readdirSync(MODEL).filter((name) => name.endsWith(".yaml"));

  beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), "shapegen-fuzz-"));
    out = path.join(work, "out", "cognito-identity-provider");
    const first = await generate({ modelDir: MODEL, templatesDir: TEMPLATES });
    await writeOutput(out, first.files!);
  });

  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("ends in diagnostics or success and never touches the output on failure", async () => {
    let failures = 0;

    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...files), fc.array(fc.oneof(...mutations), { minLength: 1, maxLength: 3 }), async (target, edits) => {
        const dir = path.join(work, "model", "cognito-identity-provider");
        rmSync(dir, { recursive: true, force: true });
        mkdirSync(dir, { recursive: true });
        for (const name of files) writeFileSync(path.join(dir, name), readFileSync(path.join(MODEL, name)));
        let text: string | Buffer = readFileSync(path.join(MODEL, target), "utf8");
        for (const edit of edits) text = edit(typeof text === "string" ? text : text.toString("latin1"));
        writeFileSync(path.join(dir, target), text);

        // The same steps as `shapegen generate`: the whole pipeline, and a write only when it succeeded.
        const before = fingerprint(out);
        const started = performance.now();
        const result = await generate({ modelDir: dir, templatesDir: TEMPLATES });
        expect(performance.now() - started).toBeLessThan(RUN_BOUND_MS);

        if (result.files === undefined) {
          failures++;
          expect(result.diagnostics.some((d) => d.severity === "error")).toBe(true);
          for (const d of result.diagnostics) expect(d.code).toMatch(/^SG\d{4}$/);
          expect(fingerprint(out)).toBe(before);
        } else {
          await writeOutput(out, result.files);
        }
      }),
      { seed: 20261204, numRuns: 30 },
    );
    // The mutations are chosen to break most runs; a fuzz run that never fails tests nothing.
    expect(failures).toBeGreaterThan(8);
  });
});
