import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generate } from "../codegen/generate.js";
import type { GeneratedFile } from "../codegen/targets/common/target.js";

const ROOT = path.resolve(import.meta.dirname, "..");
// Under the repository, so the compiled package resolves @types/node and its dependencies from node_modules.
const WORK = path.join(ROOT, "test/.output/hostile-model");
const PACKAGE = path.join(WORK, "out");

/** Text that breaks out of comments, template literals, strings and HTML if any target pastes it unescaped. */
const HOSTILE = '*/ export const pwned = 1; /* `${globalThis.pwned = 1}` </script><script>alert(1)</script> "double" \'single\' \\ back\nnew line @deprecated';

const MODEL = `namespace: example.hostile
shapes:
  Hostile:
    type: service
    version: "2024-01-01"
    operations: [Break]
    title: ${JSON.stringify(`Title ${HOSTILE}`)}
    documentation: ${JSON.stringify(HOSTILE)}
    traits:
      aws.protocols#awsJson1_1: {}
  Break:
    type: operation
    input: BreakInput
    output: BreakOutput
    errors: [BreakError]
    auth: []
    documentation: ${JSON.stringify(`<p>${HOSTILE}</p><a href="javascript:alert(1)" onclick="alert(1)">x</a>`)}
  BreakInput:
    type: structure
    input: true
    members:
      Text:
        target: Text
        required: true
        documentation: ${JSON.stringify(HOSTILE)}
      Choice:
        target: Choice
        documentation: ${JSON.stringify(HOSTILE)}
  BreakOutput:
    type: structure
    output: true
    members:
      Choice: Choice
  BreakError:
    type: structure
    error: client
    documentation: ${JSON.stringify(HOSTILE)}
    members:
      message: String
  Text:
    type: string
    length: { min: 1, max: 64 }
    pattern: ${JSON.stringify("^(\\*/|\\$\\{|`|\"|'|</script>|[a-z])+$")}
    documentation: ${JSON.stringify(HOSTILE)}
  Choice:
    type: enum
    members:
      QUOTE: { enumValue: ${JSON.stringify('a"b')} }
      BACKTICK: { enumValue: "\`\${x}\`" }
      COMMENT: { enumValue: "*/ x /*" }
      SCRIPT: { enumValue: "</script><script>alert(1)</script>" }
      NEWLINE: { enumValue: "line\\nbreak" }
`;

describe("generation from a model full of hostile text", () => {
  let files: GeneratedFile[];

  beforeAll(async () => {
    rmSync(WORK, { recursive: true, force: true });
    mkdirSync(path.join(WORK, "model"), { recursive: true });
    writeFileSync(path.join(WORK, "model", "hostile.yaml"), MODEL);
    const result = await generate({ modelDir: path.join(WORK, "model"), templatesDir: path.join(ROOT, "templates") });
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    files = result.files!;
    for (const file of files) {
      mkdirSync(path.dirname(path.join(PACKAGE, file.path)), { recursive: true });
      writeFileSync(path.join(PACKAGE, file.path), file.contents);
    }
  });

  afterAll(() => rmSync(WORK, { recursive: true, force: true }));

  it("compiles, so no text escaped a comment or a literal", () => {
    const tsc = path.join(ROOT, "node_modules/typescript/bin/tsc");
    expect(() => execFileSync(process.execPath, [tsc, "-p", path.join(PACKAGE, "tsconfig.json")], { encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });

  it("defines nothing the model's text spells out", async () => {
    const types = await import(pathToFileURL(path.join(PACKAGE, "dist/index.js")).href);

    expect(types.pwned).toBeUndefined();
    expect((globalThis as { pwned?: unknown }).pwned).toBeUndefined();
    expect(Object.values(types.Choice)).toEqual(['a"b', "`${x}`", "*/ x /*", "</script><script>alert(1)</script>", "line\nbreak"]);
  });

  it("keeps the pattern's meaning in the validator", async () => {
    const { validateBreakInput } = await import(pathToFileURL(path.join(PACKAGE, "dist/validators.js")).href);

    expect(validateBreakInput({ Text: "*/${`\"'</script>abc" })).toEqual([]);
    expect(validateBreakInput({ Text: "no spaces allowed" })).toHaveLength(1);
    expect(validateBreakInput({ Text: "ok", Choice: "</script><script>alert(1)</script>" })).toEqual([]);
  });

  it("renders the docs with no script and no live handler from the model", () => {
    const pages = files.filter((f) => f.path.endsWith(".html"));

    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) {
      expect(page.contents, page.path).not.toContain("<script>alert(1)</script>");
      expect(page.contents, page.path).not.toMatch(/href="javascript:/i);
      expect(page.contents, page.path).not.toMatch(/\sonclick=/i);
    }
  });

  it("keeps Markdown output from opening raw HTML", () => {
    const markdown = files.filter((f) => f.path.endsWith(".md") && f.path.startsWith("docs/"));

    expect(markdown.length).toBeGreaterThan(0);
    for (const page of markdown) {
      // Inside a code span, CommonMark shows HTML as text, so only text outside code spans can open a tag.
      const outsideCode = page.contents.replace(/``[^`]*``|`[^`\n]*`/g, "");
      expect(outsideCode, page.path).not.toMatch(/<script|<\/script/i);
    }
  });
});
