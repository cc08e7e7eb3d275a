import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import axe from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serveStatic, type StaticServer } from "../codegen/serve.js";
import { readSmithyJson, toYamlFiles } from "../codegen/import/smithy-json.js";
import { loadModel, loadModelTexts } from "../codegen/model/index.js";
import type { Model } from "../codegen/model/ir.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { generateDocsSite } from "../codegen/targets/docs/index.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = "test/.output/forgot-password.png";
/** The sub-path the site is served under, as `npm run docs:build -- --base-path /api/` builds it. */
const BASE_PATH = "/api/";

/** Writes the site as `docs:build` does, without the `docs/` prefix, and returns the paths of its pages except 404.html. */
async function writeSite(model: Model, folder: string, basePath?: string): Promise<string[]> {
  const files = await generateDocsSite({ model, service: serviceInfo(model), packageName: "cognito-identity-provider", templatesDir: "templates" }, { basePath });
  for (const file of files) {
    const target = join(folder, file.path.replace(/^docs\//, ""));
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, file.contents);
  }
  return files.map((file) => file.path.replace(/^docs\//, "")).filter((path) => path.endsWith(".html") && path !== "404.html");
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/** Runs axe-core in the page and returns the serious and critical violations. */
async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.addScriptTag({ content: axe.source });
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document);
    return result.violations.map((v) => ({ id: v.id, impact: v.impact ?? null, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target as unknown[] })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

/** Types a query into the search box and returns the result links once they appear. */
async function search(page: Page, query: string): Promise<{ href: string; text: string }[]> {
  await page.locator("#search-input").fill(query);
  await page.locator("#search-results a").first().waitFor();
  return page.$$eval("#search-results a", (links) => links.map((link) => ({ href: (link as HTMLAnchorElement).href, text: link.textContent ?? "" })));
}

describe.skipIf(!existsSync(CHROMIUM))("docs site in Chromium", () => {
  let siteDir: string;
  let pages: string[];
  let server: StaticServer;
  let browser: Browser;
  let root: string;

  beforeAll(async () => {
    const result = await loadModel("model/cognito-identity-provider");
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    siteDir = await mkdtemp(join(tmpdir(), "shapegen-docs-"));
    pages = await writeSite(result.model!, siteDir, BASE_PATH);

    server = await serveStatic(siteDir, 0, BASE_PATH);
    root = `${server.url}${BASE_PATH}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (siteDir !== undefined) await rm(siteDir, { recursive: true, force: true });
  });

  it("follows every internal link under the base path", { timeout: 600_000 }, async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    const outside: string[] = [];
    const errors: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(root)) outside.push(request.url());
    });
    page.on("pageerror", (error) => errors.push(error.message));

    const queue = [`${root}index.html`];
    const visited = new Set<string>();
    const fragments: { from: string; url: string }[] = [];
    const pageIds = new Map<string, string[]>();

    while (queue.length > 0) {
      const url = queue.shift()!;
      if (visited.has(url)) continue;
      visited.add(url);

      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      if (!url.endsWith(".html")) continue;
      pageIds.set(url, await page.evaluate(() => [...document.querySelectorAll("[id]")].map((element) => element.id)));
      const hrefs = await page.$$eval("a[href]", (links) => links.map((link) => (link as HTMLAnchorElement).href));
      for (const href of hrefs) {
        if (!href.startsWith(server.url)) continue;
        const target = new URL(href);
        if (target.hash !== "") fragments.push({ from: url, url: href });
        target.hash = "";
        if (!visited.has(target.href)) queue.push(target.href);
      }
    }

    for (const { from, url } of fragments) {
      const [path, fragment] = url.split("#") as [string, string];
      const id = decodeURIComponent(fragment);
      expect((pageIds.get(path) ?? []).filter((candidate) => candidate === id), `${from} links to ${url}`).toHaveLength(1);
    }

    const visitedPages = [...visited].filter((url) => url.endsWith(".html")).map((url) => url.slice(root.length));
    expect(visitedPages.sort()).toEqual([...pages].sort());
    expect(visited.size).toBeGreaterThan(pages.length);
    expect(failures).toEqual([]);
    expect(outside).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("passes axe on every page", { timeout: 600_000 }, async () => {
    const page = await browser.newPage();

    for (const path of pages) {
      await page.goto(`${root}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await page.close();
  });

  // Colors come from the stylesheet alone, so one page of each kind covers the dark scheme.
  it("passes axe in dark mode", { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    await page.emulateMedia({ colorScheme: "dark" });

    for (const path of ["index.html", "operations/forgot-password.html", "shapes/forgot-password-request.html", "shapes/delivery-medium-type.html", "shapes/user-not-found-exception.html", "no-such-page.html"]) {
      await page.goto(`${root}${path}`);
      expect(await seriousViolations(page), path).toEqual([]);
    }
    await search(page, "password");
    expect(await seriousViolations(page), "search results").toEqual([]);
    await page.close();
  });

  it("passes axe with search results open", async () => {
    const page = await browser.newPage();
    await page.goto(`${root}operations/forgot-password.html`);
    await search(page, "password");

    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("search leads to the SecretHash row", async () => {
    const page = await browser.newPage();
    await page.goto(`${root}index.html`);

    const results = await search(page, "SecretHash");
    const result = results.find((r) => r.text.startsWith("ForgotPasswordRequest.SecretHash"));
    expect(result?.href).toBe(`${root}operations/forgot-password.html#request-SecretHash`);

    await page.locator("#search-results a", { hasText: /^ForgotPasswordRequest\.SecretHash/ }).click();
    await page.waitForURL(result!.href);
    expect(await page.evaluate(() => document.querySelector(":target")?.id)).toBe("request-SecretHash");
    expect(await page.evaluate(() => document.querySelector(":target")?.tagName)).toBe("TR");
    expect(await page.locator(":target .member-name").textContent()).toBe("SecretHash");
    await page.close();
  });

  it("search works from the keyboard", async () => {
    const page = await browser.newPage();
    await page.goto(`${root}shapes/username-type.html`);

    // The search box follows the skip link, the site title and the three navigation links.
    for (let i = 0; i < 6; i += 1) await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("search-input");
    await page.keyboard.type("forgot password");
    await page.locator("#search-results a").first().waitFor();
    await page.keyboard.press("ArrowDown");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^ForgotPassword operation$/);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${root}operations/forgot-password.html`);

    await page.locator("#search-input").fill("username");
    await page.keyboard.press("Escape");
    expect(await page.locator("#search-results li").count()).toBe(0);
    expect(await page.locator("#search-input").inputValue()).toBe("");
    await page.close();
  });

  it("answers unknown paths with the 404 page", async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    page.on("requestfailed", (request) => failures.push(request.url()));

    const response = await page.goto(`${root}operations/no-such-page.html`);
    expect(response?.status()).toBe(404);
    expect(await page.locator("h1").textContent()).toBe("Page not found");
    expect(await page.evaluate(() => getComputedStyle(document.body).margin)).toBe("0px");
    await page.locator("main a", { hasText: "overview" }).click();
    await page.waitForURL(`${root}index.html`);
    expect(failures).toEqual([]);
    await page.close();
  });

  it("searches offline from file URLs", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on("request", (request) => requests.push(request.url()));
    await page.goto(pathToFileURL(join(siteDir, "operations", "forgot-password.html")).href);

    const results = await search(page, "UsernameType");
    expect(results[0]?.href).toBe(pathToFileURL(join(siteDir, "shapes", "username-type.html")).href);
    expect(requests.every((url) => url.startsWith("file://"))).toBe(true);
    await page.close();
  });

  it("fits a phone screen", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });

    for (const path of ["index.html", "operations/forgot-password.html", "shapes/username-type.html", "shapes/forgot-password-request.html"]) {
      await page.goto(`${root}${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it("skip link focuses main content", async () => {
    const page = await browser.newPage();
    await page.goto(`${root}operations/forgot-password.html`);

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.close();
  });

  it("saves ForgotPassword page screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${root}operations/forgot-password.html`);
    await mkdir(dirname(SCREENSHOT), { recursive: true });

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    const png = await readFile(SCREENSHOT);
    expect(png.subarray(1, 4).toString()).toBe("PNG");
    expect(png.length).toBeGreaterThan(10_000);
    await page.close();
  });
});

describe.skipIf(!existsSync(CHROMIUM))("docs site of the whole Cognito service in Chromium", () => {
  it("search finds an operation by name", { timeout: 120_000 }, async () => {
    const official = new URL("../../shared/models/aws/cognito-identity-provider.json", import.meta.url);
    const ast = readSmithyJson(await readFile(official, "utf8"), official.pathname);
    const result = loadModelTexts([...toYamlFiles(ast)].map(([file, text]) => ({ file, text })));
    expect(result.diagnostics.filter((d) => d.severity === "error")).toEqual([]);
    const siteDir = await mkdtemp(join(tmpdir(), "shapegen-docs-full-"));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });

    try {
      const pages = await writeSite(result.model!, siteDir);
      expect(pages.filter((path) => path.startsWith("operations/"))).toHaveLength(serviceInfo(result.model!).operations.length);
      const page = await browser.newPage();
      await page.goto(pathToFileURL(join(siteDir, "index.html")).href);

      const results = await search(page, "AdminInitiateAuth");
      expect(results[0]?.text).toBe("AdminInitiateAuth operation");
      await page.locator("#search-results a").first().click();
      await page.waitForURL(pathToFileURL(join(siteDir, "operations", "admin-initiate-auth.html")).href);
      expect(await page.locator("h1").textContent()).toBe("AdminInitiateAuth");
    } finally {
      await browser.close();
      await rm(siteDir, { recursive: true, force: true });
    }
  });
});

if (!existsSync(CHROMIUM)) {
  console.warn(`Skipping the docs browser test: ${CHROMIUM} does not exist. Install Debian's chromium package to run it.`);
}
