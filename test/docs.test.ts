import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import { posix } from "node:path";
import * as generated from "cognito-identity-provider";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import { loadModel, loadModelTexts } from "../codegen/model/index.js";
import type { Model } from "../codegen/model/ir.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { docsTarget, generateDocsSite } from "../codegen/targets/docs/index.js";
import { summarize } from "../codegen/targets/docs/documentation.js";
import { sampleStructure, stringChecker } from "../codegen/targets/docs/samples.js";
import { loadSearchIndexScript } from "../codegen/targets/docs/search.js";
import { DocsError, isDocumentedShape } from "../codegen/targets/docs/site.js";

const MODEL_DIR = "model/cognito-identity-provider";
const TEMPLATES_DIR = "templates";
const OPERATION_PAGE = "docs/operations/forgot-password.html";

/** Runs the docs target and returns the site as a map from path to contents. */
async function generateSite(model: Model, packageName = "cognito-identity-provider"): Promise<Map<string, string>> {
  const files = await docsTarget.generate({ model, service: serviceInfo(model), packageName, templatesDir: TEMPLATES_DIR });
  return new Map(files.map((file) => [file.path, file.contents]));
}

async function cognitoSite(): Promise<Map<string, string>> {
  const result = await loadModel(MODEL_DIR);
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return generateSite(result.model!);
}

function page(site: Map<string, string>, path: string): string {
  const html = site.get(path);
  expect(html, `page ${path}`).toBeDefined();
  return html!;
}

/** Returns the markup of the table row with the given id. */
function row(html: string, id: string): string {
  const match = new RegExp(`<tr[^>]* id="${id}">([\\s\\S]*?)</tr>`).exec(html);
  expect(match, `row #${id}`).not.toBeNull();
  return match![1]!;
}

function rowIds(html: string, prefix: string): string[] {
  return [...html.matchAll(new RegExp(`<tr[^>]* id="${prefix}-([^"]+)">`, "g"))].map((m) => m[1]!);
}

/** Reduces markup to its text, decoding the entities Handlebars writes. */
function textOf(html: string): string {
  return html
    .replace(/<[^>]*>/g, " ")
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

describe("docs target on the Cognito model", () => {
  it("writes the expected pages", async () => {
    const model = (await loadModel(MODEL_DIR)).model!;
    const site = await generateSite(model);
    const paths = [...site.keys()];
    const operations = serviceInfo(model).operations.length;
    const shapes = [...model.shapes.values()].filter(isDocumentedShape).length;

    expect(paths.every((path) => path.startsWith("docs/"))).toBe(true);
    expect(paths).toContain("docs/index.html");
    expect(paths).toContain("docs/assets/style.css");
    expect(paths).toContain("docs/assets/search.js");
    expect(paths).toContain("docs/assets/search-index.js");
    expect(paths).toContain("docs/assets/minisearch.js");
    expect(paths).toContain(OPERATION_PAGE);
    expect(paths).toContain("docs/shapes/username-type.html");
    expect(paths).not.toContain("docs/404.html");
    expect(paths.filter((path) => /^docs\/operations\/[a-z0-9-]+\.html$/.test(path))).toHaveLength(operations);
    expect(paths.filter((path) => /^docs\/shapes\/[a-z0-9-]+\.html$/.test(path))).toHaveLength(shapes);
    expect(paths.filter((path) => path.startsWith("docs/markdown/") && path.endsWith(".md"))).toHaveLength(1 + operations + shapes);
    expect(paths).toEqual([...paths].sort());
  });

  it("produces the same bytes on every run", async () => {
    const first = await cognitoSite();
    const second = await cognitoSite();

    expect([...second.entries()]).toEqual([...first.entries()]);
  });

  it("gives every page its landmarks", async () => {
    const site = await cognitoSite();

    for (const [path, html] of site) {
      if (!path.endsWith(".html")) continue;
      expect(html, path).toMatch(/^<!DOCTYPE html>\n<html lang="en"[ >]/);
      expect(html, path).toMatch(/<title>[^<]+<\/title>/);
      expect(html, path).toContain('<a class="skip-link" href="#main">');
      expect(html, path).toContain('<main id="main"');
      expect(html, path).toContain("<header");
      expect(html, path).toContain("<nav");
      expect(html, path).toContain('<meta name="viewport"');
    }
  });

  it("lists the six request members of ForgotPassword", async () => {
    const html = page(await cognitoSite(), OPERATION_PAGE);
    const expected = [
      { name: "ClientId", required: true, sensitive: true },
      { name: "SecretHash", required: false, sensitive: true },
      { name: "UserContextData", required: false, sensitive: true },
      { name: "Username", required: true, sensitive: true },
      { name: "AnalyticsMetadata", required: false, sensitive: false },
      { name: "ClientMetadata", required: false, sensitive: false },
    ];

    expect(rowIds(html, "request")).toEqual(expected.map((member) => member.name));
    for (const member of expected) {
      const cells = row(html, `request-${member.name}`);
      expect(cells.includes('class="mark mark-required"'), `${member.name} required mark`).toBe(member.required);
      expect(cells.includes('class="mark mark-sensitive"'), `${member.name} sensitive mark`).toBe(member.sensitive);
    }
  });

  it("describes the constraints of Username in words", async () => {
    const site = await cognitoSite();
    const cells = row(page(site, OPERATION_PAGE), "request-Username");

    expect(textOf(cells)).toContain("1 to 128 characters");
    expect(cells).toContain("<code>^[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+$</code>");
    expect(cells).toContain('<a href="../shapes/username-type.html">UsernameType</a>');

    const shapePage = page(site, "docs/shapes/username-type.html");
    expect(textOf(shapePage)).toContain("1 to 128 characters (code points)");
    expect(textOf(shapePage)).toContain("Sensitive");
  });

  it("lists the 15 errors with status and fault", async () => {
    const result = await loadModel(MODEL_DIR);
    const model = result.model!;
    const html = page(await generateSite(model), OPERATION_PAGE);
    const operation = model.shapes.get("com.amazonaws.cognitoidentityprovider#ForgotPassword");
    expect(operation?.type).toBe("operation");
    const errorIds = operation!.type === "operation" ? operation!.errors : [];

    expect(rowIds(html, "error")).toHaveLength(15);
    for (const id of errorIds) {
      const error = model.shapes.get(id)!;
      const cells = row(html, `error-${error.name}`);
      const status = Number(/<td[^>]* class="status">(\d+)<\/td>/.exec(cells)?.[1]);
      const fault = /<td[^>]* class="fault">(\w+)<\/td>/.exec(cells)?.[1];

      expect(status, `${error.name} status`).toBe(error.traits.httpError ?? (error.traits.error === "server" ? 500 : 400));
      expect(fault, `${error.name} fault`).toBe(error.traits.error);
      expect(Math.floor(status / 100), `${error.name} status class`).toBe(fault === "server" ? 5 : 4);
      expect(cells, `${error.name} documentation`).toContain('<div class="documentation">');
    }
    expect(textOf(row(html, "error-InternalErrorException"))).toContain("500 server");
    expect(textOf(row(html, "error-LimitExceededException"))).toContain("400 client");
  });

  it("states the wire facts and the auth note", async () => {
    const html = page(await cognitoSite(), OPERATION_PAGE);
    const text = textOf(html);

    expect(text).toContain("Method and path POST /");
    expect(text).toContain("Content-Type application/x-amz-json-1.1");
    expect(text).toContain("X-Amz-Target AWSCognitoIdentityProviderService.ForgotPassword");
    expect(text).toContain("No credentials needed: requests are not signed");
    expect(text).not.toContain("Signed with SigV4");
  });

  it("lists operations and shape groups", async () => {
    const html = page(await cognitoSite(), "docs/index.html");
    const text = textOf(html);

    expect(html).toContain("<h1>Amazon Cognito Identity Provider</h1>");
    expect(html).toContain('<a href="operations/forgot-password.html">ForgotPassword</a> <span class="mark mark-unsigned">Unsigned</span><p>Sends a password-reset confirmation code to the email address or phone number of the requested username.</p>');
    expect(text).toContain("API version 2016-04-18");
    for (const group of ["Structures", "Errors", "Enums", "Maps", "Strings"]) {
      expect(html, group).toMatch(new RegExp(`<h3 id="shapes-[a-z-]+">${group}</h3>`));
    }
    expect(text).toContain("With the Amazon Cognito user pools API");
  });

  it("links shapes and their users both ways", async () => {
    const site = await cognitoSite();
    const usernamePage = page(site, "docs/shapes/username-type.html");
    const requestPage = page(site, "docs/shapes/forgot-password-request.html");
    const errorPage = page(site, "docs/shapes/user-not-found-exception.html");

    expect(usernamePage).toContain('<a href="forgot-password-request.html#member-Username">ForgotPasswordRequest.Username</a>');
    expect(requestPage).toMatch(/<tr[^>]* id="member-Username">/);
    expect(requestPage).toContain('<a href="username-type.html">UsernameType</a>');
    expect(requestPage).toContain('<a href="../operations/forgot-password.html#request">ForgotPassword (request)</a>');
    expect(errorPage).toContain('<a href="../operations/forgot-password.html#error-UserNotFoundException">ForgotPassword (error)</a>');
    expect(textOf(page(site, "docs/shapes/delivery-medium-type.html"))).toContain("SMS SMS");
    expect(textOf(page(site, "docs/shapes/client-metadata-type.html"))).toContain("key StringType string 0 to 131072 characters");
  });

  it("resolves every internal link", async () => {
    const site = await cognitoSite();
    const ids = new Map([...site].map(([path, html]) => [path, new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]));
    let checked = 0;

    for (const [path, html] of site) {
      for (const [, href] of html.matchAll(/ (?:href|src)="([^"]*)"/g)) {
        if (/^(?:https?|mailto):/.test(href!)) continue;
        const [file, fragment] = href!.split("#") as [string, string | undefined];
        const target = file === "" ? path : posix.join(posix.dirname(path), file);

        expect(site.has(target), `${path} links to missing ${href}`).toBe(true);
        if (fragment !== undefined) expect(ids.get(target)?.has(fragment), `${path} links to missing #${fragment} in ${target}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  // test/generated-output.test.ts compares every page with the committed site; these guard each page kind here.
  it("matches the snapshot of each page kind", async () => {
    const site = await cognitoSite();

    for (const path of ["docs/index.html", OPERATION_PAGE, "docs/shapes/forgot-password-request.html", "docs/markdown/operations/forgot-password.md"]) {
      expect(page(site, path)).toMatchSnapshot(path);
    }
  });
});

/** Decodes the entities Handlebars writes, keeping whitespace. */
function decode(html: string): string {
  return html
    .replace(/&#x27;/g, "'")
    .replace(/&#x3D;/g, "=")
    .replace(/&#x60;/g, "`")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

/** Returns the code blocks of an operation page's examples, in page order, with their labels. */
function codeBlocks(html: string): { example: string; label: string; code: string }[] {
  const blocks: { example: string; label: string; code: string }[] = [];
  for (const match of html.matchAll(/<h4 id="(example-\d+)-\d+">([^<]+)<\/h4>\s*<pre[^>]*><code[^>]*>([\s\S]*?)<\/code><\/pre>/g)) {
    blocks.push({ example: match[1]!, label: decode(match[2]!), code: decode(match[3]!) });
  }
  return blocks;
}

/** Returns the JSON body of a raw HTTP message, checking its Content-Length. */
function httpBody(message: string): unknown {
  const [head, body] = message.split("\n\n", 2) as [string, string];
  const length = /Content-Length: (\d+)/.exec(head)?.[1];
  expect(Number(length), "Content-Length").toBe(Buffer.byteLength(body));
  return JSON.parse(body);
}

type Validator = (value: unknown) => unknown[];
type Reader = (body: unknown) => unknown;
type ResponseReader = (response: { status: number; headers: Record<string, string>; body: string }) => unknown;

/** Returns an export of the generated package, such as `validateForgotPasswordRequest`. */
function generatedFunction<T>(name: string): T {
  const value = (generated as unknown as Record<string, unknown>)[name];
  expect(value, `${name} in the generated package`).toBeTypeOf("function");
  return value as T;
}

/** Splits a raw HTTP response into what the generated deserializers read. */
function httpResponse(message: string): { status: number; headers: Record<string, string>; body: string } {
  const [head, body] = message.split("\n\n", 2) as [string, string];
  const [statusLine, ...headerLines] = head.split("\n");
  const headers = Object.fromEntries(headerLines.map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
  return { status: Number(statusLine!.split(" ")[1]), headers, body };
}

describe("docs examples", () => {
  it("shows the four forms for ForgotPassword", async () => {
    const blocks = codeBlocks(page(await cognitoSite(), OPERATION_PAGE));
    const labels = blocks.map((b) => b.label);

    expect(labels.slice(0, 4)).toEqual(["TypeScript", "AWS CLI", "HTTP request", "HTTP response"]);
    expect(labels[4]).toMatch(/^Error response \(\w+Exception\)$/);

    const [typescript, cli, request, response, error] = blocks.map((b) => b.code) as [string, string, string, string, string];
    expect(typescript).toContain('import { CognitoIdentityProviderClient } from "cognito-identity-provider";');
    expect(typescript).toContain("await client.forgotPassword({");
    expect(cli).toMatch(/^aws cognito-idp forgot-password \\\n/);
    expect(cli).toContain("--client-id 1example23456789");
    expect(cli).toContain("--username testuser");
    expect(cli).toContain("--secret-hash ");
    expect(cli).toContain(`--client-metadata '{"key":"value"}'`);
    expect(request).toMatch(/^POST \/ HTTP\/1\.1\n/);
    expect(request).toContain("Content-Type: application/x-amz-json-1.1\n");
    expect(request).toContain("X-Amz-Target: AWSCognitoIdentityProviderService.ForgotPassword\n");
    expect(request).not.toContain("Authorization:");
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\n/);
    expect(error).toMatch(/^HTTP\/1\.1 400 Bad Request\n/);
    expect(error).toMatch(/x-amzn-ErrorType: \w+Exception:/);
  });

  it("validates every example of every operation", async () => {
    const model = (await loadModel(MODEL_DIR)).model!;
    const site = await generateSite(model);
    let checked = 0;

    for (const operation of serviceInfo(model).operations) {
      const html = page(site, `docs/operations/${operation.name.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase()}.html`);
      const blocks = codeBlocks(html);
      const input = model.shapes.get(operation.input)!;
      const output = model.shapes.get(operation.output)!;

      // Bodies are read as the generated server and client read them, then checked by the generated validators.
      for (const block of blocks.filter((b) => b.label === "HTTP request")) {
        const value = generatedFunction<Reader>(`parse${operation.name}Request`)(httpBody(block.code));
        expect(generatedFunction<Validator>(`validate${input.name}`)(value), `${operation.name} ${block.example} request`).toEqual([]);
        checked += 1;
      }
      for (const block of blocks.filter((b) => b.label === "HTTP response")) {
        httpBody(block.code);
        const value = generatedFunction<ResponseReader>(`deserialize${operation.name}Response`)(httpResponse(block.code));
        expect(generatedFunction<Validator>(`validate${output.name}`)(value), `${operation.name} ${block.example} response`).toEqual([]);
        checked += 1;
      }
      const error = blocks.find((b) => b.label.startsWith("Error response"));
      if (error !== undefined) {
        const body = httpBody(error.code) as { __type: string };
        expect(operation.errors.map((id) => id.split("#")[1])).toContain(body.__type);
        expect(() => generatedFunction<ResponseReader>(`deserialize${operation.name}Response`)(httpResponse(error.code))).toThrow(expect.objectContaining({ name: body.__type }));
      }
    }
    expect(checked).toBeGreaterThanOrEqual(2 * serviceInfo(model).operations.length);
  });

  it("type-checks the TypeScript examples", { timeout: 60_000 }, async () => {
    const model = (await loadModel(MODEL_DIR)).model!;
    const site = await generateSite(model);
    const folder = "test/.output/docs-examples";
    await rm(folder, { recursive: true, force: true });
    await mkdir(folder, { recursive: true });
    const files: string[] = [];
    for (const [path, html] of site) {
      if (!path.startsWith("docs/operations/")) continue;
      for (const [index, block] of codeBlocks(html).filter((b) => b.label === "TypeScript").entries()) {
        const file = `${folder}/${posix.basename(path, ".html")}-${index + 1}.ts`;
        await writeFile(file, block.code);
        files.push(file);
      }
    }

    const program = ts.createProgram(files, { strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: ["node"] });
    const problems = ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ""}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`);
    expect(files.length).toBeGreaterThanOrEqual(serviceInfo(model).operations.length);
    expect(problems).toEqual([]);
  });

  it("puts declared examples first", async () => {
    const site = await hostileSite();
    const html = page(site, "docs/operations/get-forecast.html");
    const headings = [...html.matchAll(/<h3 id="(example-\d+)">([\s\S]*?)<\/h3>/g)].map((m) => textOf(m[2]!));
    const blocks = codeBlocks(html);

    expect(headings).toEqual(["Forecast for Oslo From the model", "Unknown city From the model", "Generated example"]);
    expect(httpBody(blocks.find((b) => b.example === "example-1" && b.label === "HTTP request")!.code)).toEqual({ City: "Oslo", Days: 2 });
    expect(httpBody(blocks.find((b) => b.example === "example-1" && b.label === "HTTP response")!.code)).toEqual({ Summary: "Rain" });
    const failure = blocks.find((b) => b.example === "example-2" && b.label.startsWith("HTTP response"))!;
    expect(failure.label).toBe("HTTP response (NoSuchCity)");
    expect(httpBody(failure.code)).toEqual({ __type: "NoSuchCity", message: "No such city." });
    expect(blocks.find((b) => b.example === "example-1" && b.label === "AWS CLI")!.code).toBe("aws weather get-forecast \\\n    --city Oslo \\\n    --days 2");
    expect(blocks.find((b) => b.example === "example-1" && b.label === "HTTP request")!.code).toContain("Authorization: AWS4-HMAC-SHA256 Credential=");
  });

  it("samples satisfy every Cognito string shape", async () => {
    const model = await fullCognitoModel();

    for (const shape of model.shapes.values()) {
      if (shape.type !== "string") continue;
      const sample = sampleStructure(model, shape.id);
      expect(sample, shape.name).toEqual({});
    }
    for (const shape of model.shapes.values()) {
      if (shape.type !== "structure") continue;
      for (const member of shape.members) {
        const target = model.shapes.get(member.target);
        if (target?.type !== "string") continue;
        const value = sampleStructure(model, shape.id)[member.name];
        if (value === undefined) continue;
        expect(stringChecker({ ...target.traits, ...member.traits })(String(value)), `${shape.name}.${member.name} = ${JSON.stringify(value)}`).toBe(true);
      }
    }
  });
});

describe("docs search", () => {
  it("finds SecretHash at its member rows", async () => {
    const site = await cognitoSite();
    const index = loadSearchIndexScript(page(site, "docs/assets/search-index.js"));
    const hrefs = index.search("SecretHash").map((r) => r.href);

    expect(hrefs).toContain("operations/forgot-password.html#request-SecretHash");
    for (const href of hrefs) {
      const [path, fragment] = href.split("#") as [string, string | undefined];
      const html = page(site, `docs/${path}`);
      if (fragment !== undefined) expect(html, href).toMatch(new RegExp(`<tr[^>]* id="${fragment}">`));
    }
  });

  it("finds operations, shapes and members by words", async () => {
    const index = loadSearchIndexScript(page(await cognitoSite(), "docs/assets/search-index.js"));

    expect(index.search("forgot password")[0]).toMatchObject({ title: "ForgotPassword", kind: "operation", href: "operations/forgot-password.html" });
    expect(index.search("UsernameType")[0]).toMatchObject({ title: "UsernameType", href: "shapes/username-type.html" });
    expect(index.search("CodeDeliveryDetails").map((r) => r.href)).toContain("operations/forgot-password.html#response-CodeDeliveryDetails");
    expect(index.search("no such thing zzz")).toEqual([]);
  });

  it("ships MiniSearch with its license", async () => {
    const script = page(await cognitoSite(), "docs/assets/minisearch.js");

    expect(script).toMatch(/^\/\*! MiniSearch \d+\.\d+\.\d+/);
    expect(script).toContain("Permission is hereby granted, free of charge");
    expect(script).not.toContain("sourceMappingURL");
  });
});

describe("docs Markdown pages", () => {
  it("mirrors the ForgotPassword page", async () => {
    const site = await cognitoSite();
    const markdown = page(site, "docs/markdown/operations/forgot-password.md");

    expect(markdown).toContain("# ForgotPassword\n");
    expect(markdown).toMatch(/\| `SecretHash` \| \[SecretHashType\]\(\.\.\/shapes\/secret-hash-type\.md\) \(string\) \| No \|/);
    expect(markdown).toMatch(/\| `Username` \| \[UsernameType\]\(\.\.\/shapes\/username-type\.md\) \(string\) \| Yes \| 1 to 128 characters \(code points\)/);
    expect(markdown).toContain("```shell\naws cognito-idp forgot-password");
    expect(markdown).toContain("> **Note:**");
    expect(markdown).not.toMatch(/<(?:p|div|code|a)[ >]/);
  });

  it("resolves every Markdown link", async () => {
    const site = await cognitoSite();
    let checked = 0;

    for (const [path, text] of site) {
      if (!path.endsWith(".md")) continue;
      // Inline code and code blocks hold patterns such as `[a-z](?:...)`, which are no links.
      const prose = text.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
      for (const [, href] of prose.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^(?:https?|mailto):/.test(href!)) continue;
        expect(site.has(posix.join(posix.dirname(path), href!)), `${path} links to missing ${href}`).toBe(true);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });
});

describe("docs base path", () => {
  it("adds canonical links and a 404 page", async () => {
    const model = (await loadModel(MODEL_DIR)).model!;
    const files = await generateDocsSite({ model, service: serviceInfo(model), packageName: "cognito-identity-provider", templatesDir: TEMPLATES_DIR }, { basePath: "/api" });
    const site = new Map(files.map((file) => [file.path, file.contents]));

    expect(page(site, OPERATION_PAGE)).toContain('<link rel="canonical" href="/api/operations/forgot-password.html">');
    expect(page(site, "docs/index.html")).toContain('<link rel="canonical" href="/api/index.html">');
    const notFound = page(site, "docs/404.html");
    expect(notFound).toContain('<link rel="stylesheet" href="/api/assets/style.css">');
    expect(notFound).toContain('<html lang="en" data-site-root="/api/">');
    expect(notFound).toContain('<a href="/api/index.html">overview</a>');
    expect(notFound).not.toContain("canonical");
    expect(page(site, OPERATION_PAGE).replace(/<link rel="canonical"[^>]*>\n/, "")).toBe(page(await cognitoSite(), OPERATION_PAGE));
  });

  it("rejects a base path without a leading slash", async () => {
    const model = (await loadModel(MODEL_DIR)).model!;
    const build = generateDocsSite({ model, service: serviceInfo(model), packageName: "cognito-identity-provider", templatesDir: TEMPLATES_DIR }, { basePath: "api/" });

    await expect(build).rejects.toThrow(DocsError);
    await expect(build).rejects.toThrow("invalid base path 'api/'");
  });
});

const OFFICIAL_MODEL = new URL("../../shared/models/aws/cognito-identity-provider.json", import.meta.url);

/** Imports the whole official Cognito model in memory. */
async function fullCognitoModel(): Promise<Model> {
  const ast = readSmithyJson(await readFile(OFFICIAL_MODEL, "utf8"), OFFICIAL_MODEL.pathname);
  const result = loadModelTexts([...toYamlFiles(ast)].map(([file, text]) => ({ file, text })));
  expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
  return result.model!;
}

describe("docs site of the whole Cognito service", () => {
  it("builds every page and links them", { timeout: 120_000 }, async () => {
    const model = await fullCognitoModel();
    const service = serviceInfo(model);
    const site = await generateSite(model);
    const shapes = [...model.shapes.values()].filter(isDocumentedShape).length;

    expect(service.operations.length).toBe(122);
    expect([...site.keys()].filter((path) => /^docs\/operations\/[a-z0-9-]+\.html$/.test(path))).toHaveLength(service.operations.length);
    expect([...site.keys()].filter((path) => /^docs\/shapes\/[a-z0-9-]+\.html$/.test(path))).toHaveLength(shapes);

    const ids = new Map([...site].map(([path, html]) => [path, new Set([...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]!))]));
    for (const [path, html] of site) {
      if (!path.endsWith(".html")) continue;
      for (const [, href] of html.matchAll(/ (?:href|src)="([^"]*)"/g)) {
        if (/^(?:https?|mailto):/.test(href!)) continue;
        const [file, fragment] = href!.split("#") as [string, string | undefined];
        const target = file === "" ? path : posix.join(posix.dirname(path), file);
        expect(site.has(target), `${path} links to missing ${href}`).toBe(true);
        if (fragment !== undefined) expect(ids.get(target)?.has(fragment), `${path} links to missing #${fragment}`).toBe(true);
      }
    }
  });

  it("search finds operations by name", { timeout: 120_000 }, async () => {
    const model = await fullCognitoModel();
    const operations = serviceInfo(model).operations;
    const index = loadSearchIndexScript(page(await generateSite(model), "docs/assets/search-index.js"));
    const sample = operations.filter((_, i) => i % 10 === 0);

    expect(sample.length).toBeGreaterThanOrEqual(12);
    for (const operation of sample) {
      const first = index.search(operation.name)[0];
      expect(first, operation.name).toMatchObject({ title: operation.name, kind: "operation" });
    }
  });
});

/** A small model whose documentation tries scripts, event handlers and javascript: links. */
const HOSTILE_MODEL = `
namespace: example.weather
shapes:
  Weather:
    type: service
    version: "2024-01-01"
    operations: [GetForecast]
    traits:
      aws.protocols#awsJson1_0: {}
      aws.auth#sigv4:
        name: weather
    documentation: <p>Forecasts <script>alert(1)</script> for <a href="javascript:alert(2)">places</a>.</p>
  GetForecast:
    type: operation
    input: GetForecastInput
    output: GetForecastOutput
    errors: [NoSuchCity]
    examples:
      - title: Forecast for Oslo
        documentation: Two days of forecast for one city.
        input: { City: Oslo, Days: 2 }
        output: { Summary: Rain }
      - title: Unknown city
        input: { City: Atlantis }
        error:
          shapeId: example.weather#NoSuchCity
          content: { message: No such city. }
    documentation: >-
      <p onclick="alert(3)">Returns the <code>forecast</code>, e.g. rain. Then more.</p>
      <note><p>Cached for an hour.</p></note>
      <img src="https://example.com/x.png" onerror="alert(4)">
      <a href="https://example.com/help" onmouseover="alert(5)" target="_blank">help</a>
      <a href="JaVaScRiPt:alert(6)">trap</a> <a href="API_Other.html">relative</a>
      <style>body { display: none }</style><iframe src="https://example.com/"></iframe>
  GetForecastInput:
    type: structure
    members:
      City:
        target: CityName
        required: true
      Days:
        target: DayCount
        default: 3
      Hours:
        target: HourList
        deprecated:
          message: use Days
          since: "2024"
      Units:
        target: Units
  GetForecastOutput:
    type: structure
    members:
      Summary:
        target: String
  CityName:
    type: string
    length: { min: 1, max: 64 }
    pattern: ^[A-Za-z "'<>&]+$
  DayCount:
    type: integer
    range: { min: 1, max: 14 }
  HourList:
    type: list
    member: Hour
    length: { max: 48 }
  Hour:
    type: integer
  Units:
    type: intEnum
    members:
      METRIC:
        enumValue: 1
      IMPERIAL:
        enumValue: 2
  NoSuchCity:
    type: structure
    error: client
    members:
      message:
        target: String
`;

async function hostileSite(): Promise<Map<string, string>> {
  const result = loadModelTexts([{ file: "weather.yaml", text: HOSTILE_MODEL }]);
  expect(result.diagnostics).toEqual([]);
  return generateSite(result.model!, "weather");
}

describe("docs target on a hand-written model", () => {
  it("renders hostile documentation inert", async () => {
    const site = await hostileSite();

    for (const [path, contents] of site) {
      if (!path.endsWith(".html")) continue;
      // The layout's own scripts load the search; model documentation must add no other.
      const html = contents.replace(/<script src="(?:\.\.\/)?assets\/(?:minisearch|search-index|search)\.js" defer><\/script>\n/g, "");
      expect(html, path).not.toMatch(/<script/i);
      expect(html, path).not.toMatch(/javascript:/i);
      expect(html, path).not.toMatch(/\son[a-z]+=/i);
      expect(html, path).not.toContain("alert(");
      expect(html, path).not.toMatch(/<(?:img|iframe|style)/i);
      expect(html, path).not.toContain('target="_blank"');
    }
  });

  it("keeps the formatting of documentation", async () => {
    const site = await hostileSite();
    const html = page(site, "docs/operations/get-forecast.html");

    expect(html).toContain("<p>Returns the <code>forecast</code>, e.g. rain. Then more.</p>");
    expect(html).toContain('<div class="note" role="note"><p>Cached for an hour.</p></div>');
    expect(html).toContain('<a href="https://example.com/help">help</a>');
    expect(html).toContain("<a>trap</a>");
    expect(html).toContain("<a>relative</a>");
    expect(page(site, "docs/index.html")).toMatch(/<p>Forecasts\s+for <a>places<\/a>\.<\/p>/);
  });

  it("summarizes up to the first sentence", () => {
    expect(summarize("<p>Returns the <code>forecast</code>, e.g. rain. Then more.</p>")).toBe("Returns the forecast, e.g. rain.");
    expect(summarize("<p>Tom &amp; Jerry &lt;3</p>")).toBe("Tom & Jerry <3");
    expect(summarize(undefined)).toBe("");
  });

  it("describes signed awsJson1_0 operations", async () => {
    const text = textOf(page(await hostileSite(), "docs/operations/get-forecast.html"));

    expect(text).toContain("Signed with SigV4 (signing name weather).");
    expect(text).toContain("Content-Type application/x-amz-json-1.0");
    expect(text).toContain("X-Amz-Target Weather.GetForecast");
  });

  it("describes constraints, defaults and deprecation", async () => {
    const html = page(await hostileSite(), "docs/operations/get-forecast.html");

    const city = row(html, "request-City");
    expect(textOf(city)).toContain("1 to 64 characters (code points)");
    expect(city).toContain("<code>^[A-Za-z &quot;&#x27;&lt;&gt;&amp;]+$</code>");

    const days = row(html, "request-Days");
    expect(textOf(days)).toContain("from 1 to 14");
    expect(days).toContain("Default: <code>3</code>");

    const hours = row(html, "request-Hours");
    expect(textOf(hours)).toContain("at most 48 entries");
    expect(textOf(hours)).toContain("Deprecated since 2024: use Days");

    expect(row(html, "request-Units")).toContain("<li>one of <code>1</code>, <code>2</code></li>");
    expect(textOf(row(html, "response-Summary"))).toContain("String string");
    expect(textOf(row(html, "error-NoSuchCity"))).toContain("400 client");
  });
});
