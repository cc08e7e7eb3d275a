import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { formatDiagnostic } from "../codegen/model/diagnostics.js";
import { loadModelTexts } from "../codegen/model/index.js";

const FOLDER = new URL("./fixtures/bad-models/", import.meta.url);

/** Each fixture's first line states what it must produce: `# expect: CODE line:column [message start]`. */
interface Expectation {
  readonly file: string;
  readonly text: string;
  readonly code: string;
  readonly line: number;
  readonly column: number;
  readonly message?: string;
}

function fixtures(): Expectation[] {
  return readdirSync(FOLDER)
    .filter((name) => name.endsWith(".yaml"))
    .sort()
    .map((name) => {
      const text = readFileSync(new URL(name, FOLDER), "utf8");
      const match = /^# expect: (SG\d{4}) (\d+):(\d+)(?: (.*))?$/m.exec(text.split("\n")[0]!);
      if (!match) throw new Error(`${name}: the first line must be '# expect: CODE line:column [message]'`);
      return { file: `bad/${name}`, text, code: match[1]!, line: Number(match[2]), column: Number(match[3]), message: match[4] };
    });
}

describe("checker on broken models", () => {
  it.each(fixtures().map((f) => [f.file, f] as const))("%s", (_, fixture) => {
    const result = loadModelTexts([{ file: fixture.file, text: fixture.text }]);
    const found = result.diagnostics.find((d) => d.code === fixture.code);

    expect(found, result.diagnostics.map((d) => formatDiagnostic(d)).join("\n")).toBeDefined();
    // An error stops the model from loading; a warning alone does not.
    if (found!.severity === "error") expect(result.model).toBeUndefined();
    else expect(result.model).toBeDefined();
    expect(found!.location).toMatchObject({ file: fixture.file, line: fixture.line, column: fixture.column });
    if (fixture.message !== undefined) expect(found!.message.startsWith(fixture.message), found!.message).toBe(true);
  });

  it("reports every problem of several files in one run, sorted", () => {
    const result = loadModelTexts([
      { file: "b.yaml", text: "namespace: example.users\nshapes:\n  Two:\n    type: string\n    length: { min: 3, max: 1 }\n" },
      { file: "a.yaml", text: "namespace: example.users\nshapes:\n  One:\n    type: structure\n    members:\n      X: Missing\n      Y: Gone\n" },
    ]);

    expect(result.diagnostics.map((d) => `${d.location?.file}:${d.location?.line} ${d.code}`)).toEqual([
      "a.yaml:6 SG1002",
      "a.yaml:7 SG1002",
      "b.yaml:5 SG2004",
    ]);
  });

  it("reports a shape defined in two files with both places", () => {
    const text = "namespace: example.users\nshapes:\n  Name:\n    type: string\n";
    const result = loadModelTexts([
      { file: "one.yaml", text },
      { file: "two.yaml", text },
    ]);

    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics[0]!.code).toBe("SG1003");
    expect(result.diagnostics[0]!.message).toBe("shape 'example.users#Name' is defined more than once; the other definition is at one.yaml:3:3");
  });

  it("formats a diagnostic like a compiler, with a code frame", () => {
    const text = "namespace: example.users\nshapes:\n  Request:\n    type: structure\n    members:\n      Username: UsernamType\n  UsernameType:\n    type: string\n";
    const result = loadModelTexts([{ file: "model/users.yaml", text }]);

    expect(formatDiagnostic(result.diagnostics[0]!, result.sources)).toBe(
      [
        "model/users.yaml:6:17 - error SG1002: member 'Username' of shape 'Request' targets unknown shape 'UsernamType'. Did you mean 'UsernameType'?",
        "  5 |     members:",
        "> 6 |       Username: UsernamType",
        "    |                 ^",
        "  7 |   UsernameType:",
      ].join("\n"),
    );
  });
});

describe("loader on valid models", () => {
  it("resolves relative, absolute and prelude references", () => {
    const result = loadModelTexts([
      {
        file: "ok.yaml",
        text: [
          "namespace: example.users",
          "shapes:",
          "  Request:",
          "    type: structure",
          "    members:",
          "      A: Name",
          "      B: example.users#Name",
          "      C: String",
          "      D: smithy.api#Integer",
          "  Name:",
          "    type: string",
          "",
        ].join("\n"),
      },
    ]);

    expect(result.diagnostics).toEqual([]);
    const request = result.model!.shapes.get("example.users#Request");
    expect(request?.type === "structure" && request.members.map((m) => m.target)).toEqual([
      "example.users#Name",
      "example.users#Name",
      "smithy.api#String",
      "smithy.api#Integer",
    ]);
    expect(request?.location).toEqual({ file: "ok.yaml", line: 3, column: 3 });
  });

  it("keeps traits of other namespaces unchanged", () => {
    const text = "namespace: example.users\nshapes:\n  Name:\n    type: string\n    traits:\n      example.meta#owner: { team: identity, tags: [a, b] }\n";
    const result = loadModelTexts([{ file: "ok.yaml", text }]);

    expect(result.model!.shapes.get("example.users#Name")!.traits.other).toEqual({ "example.meta#owner": { team: "identity", tags: ["a", "b"] } });
  });
});
