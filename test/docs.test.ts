import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { loadModel, loadModelTexts } from "../codegen/model/index.js";
import type { Model } from "../codegen/model/ir.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { docsTarget } from "../codegen/targets/docs/index.js";
import { summarize } from "../codegen/targets/docs/documentation.js";

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
  expect(result.diagnostics).toEqual([]);
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
    const site = await cognitoSite();
    const paths = [...site.keys()];

    expect(paths.every((path) => path.startsWith("docs/"))).toBe(true);
    expect(paths).toContain("docs/index.html");
    expect(paths).toContain("docs/assets/style.css");
    expect(paths).toContain(OPERATION_PAGE);
    expect(paths).toContain("docs/shapes/username-type.html");
    expect(paths.filter((path) => path.startsWith("docs/operations/"))).toHaveLength(1);
    expect(paths.filter((path) => path.startsWith("docs/shapes/"))).toHaveLength(29);
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
      expect(html, path).toMatch(/^<!DOCTYPE html>\n<html lang="en">/);
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
    expect(html).toContain('<a href="operations/forgot-password.html">ForgotPassword</a><p>Sends a password-reset confirmation code to the email address or phone number of the requested username.</p>');
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

  it("matches the snapshot of every page", async () => {
    const site = await cognitoSite();

    for (const [path, contents] of site) {
      expect(contents).toMatchSnapshot(path);
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

    for (const [path, html] of site) {
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
