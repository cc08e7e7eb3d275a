import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, extname, join, normalize, sep } from "node:path";
import axe from "axe-core";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadModel } from "../codegen/model/index.js";
import { serviceInfo } from "../codegen/targets/common/service.js";
import { docsTarget } from "../codegen/targets/docs/index.js";

const CHROMIUM = "/usr/bin/chromium";
const SCREENSHOT = "test/.output/forgot-password.png";
const CONTENT_TYPES: Readonly<Record<string, string>> = { ".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8" };

/** Serves the files under `root` on 127.0.0.1 and returns 404 for anything else. */
function serveFolder(root: string): Promise<Server> {
  const server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname)));
    if (!path.startsWith(root + sep)) {
      response.writeHead(404).end();
      return;
    }
    readFile(path).then(
      (body) => response.writeHead(200, { "content-type": CONTENT_TYPES[extname(path)] ?? "application/octet-stream" }).end(body),
      () => response.writeHead(404).end(),
    );
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
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

describe.skipIf(!existsSync(CHROMIUM))("docs site in Chromium", () => {
  let siteDir: string;
  let server: Server;
  let browser: Browser;
  let origin: string;

  beforeAll(async () => {
    const result = await loadModel("model/cognito-identity-provider");
    expect(result.diagnostics).toEqual([]);
    const files = await docsTarget.generate({ model: result.model!, service: serviceInfo(result.model!), packageName: "cognito-identity-provider", templatesDir: "templates" });

    siteDir = await mkdtemp(join(tmpdir(), "shapegen-docs-"));
    for (const file of files) {
      await mkdir(dirname(join(siteDir, file.path)), { recursive: true });
      await writeFile(join(siteDir, file.path), file.contents);
    }

    server = await serveFolder(siteDir);
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    if (siteDir !== undefined) await rm(siteDir, { recursive: true, force: true });
  });

  it("visits every page without outside requests", { timeout: 120_000 }, async () => {
    const page = await browser.newPage();
    const failures: string[] = [];
    const outside: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failures.push(`${response.status()} ${response.url()}`);
    });
    page.on("request", (request) => {
      if (!request.url().startsWith(`${origin}/`)) outside.push(request.url());
    });

    const start = `${origin}/docs/index.html`;
    const queue = [start];
    const visited = new Set<string>();
    const fragments: { from: string; url: string }[] = [];

    while (queue.length > 0) {
      const url = queue.shift()!;
      if (visited.has(url)) continue;
      visited.add(url);

      const response = await page.goto(url);
      expect(response?.status(), url).toBe(200);
      const hrefs = await page.$$eval("a[href]", (links) => links.map((link) => (link as HTMLAnchorElement).href));
      for (const href of hrefs) {
        if (!href.startsWith(`${origin}/`)) continue;
        const target = new URL(href);
        if (target.hash !== "") fragments.push({ from: url, url: href });
        target.hash = "";
        if (!visited.has(target.href)) queue.push(target.href);
      }
    }

    for (const { from, url } of fragments) {
      const [path, id] = url.split("#") as [string, string];
      if (page.url() !== path) await page.goto(path);
      expect(await page.locator(`[id="${decodeURIComponent(id)}"]`).count(), `${from} links to ${url}`).toBe(1);
    }

    expect(visited.size).toBe(31);
    expect(failures).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  });

  it("passes axe in both color schemes", { timeout: 180_000 }, async () => {
    const page = await browser.newPage();
    const paths = ["docs/index.html", "docs/operations/forgot-password.html"];
    const shapes = await page.goto(`${origin}/docs/index.html`).then(() => page.$$eval("a[href^='shapes/']", (links) => links.map((link) => link.getAttribute("href")!)));
    paths.push(...[...new Set(shapes)].map((href) => `docs/${href}`));
    expect(paths).toHaveLength(31);

    for (const colorScheme of ["light", "dark"] as const) {
      await page.emulateMedia({ colorScheme });
      for (const path of paths) {
        await page.goto(`${origin}/${path}`);
        expect(await seriousViolations(page), `${path} in ${colorScheme} mode`).toEqual([]);
      }
    }
    await page.close();
  });

  it("fits a phone screen", async () => {
    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });

    for (const path of ["docs/index.html", "docs/operations/forgot-password.html", "docs/shapes/username-type.html"]) {
      await page.goto(`${origin}/${path}`);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, path).toBeLessThanOrEqual(0);
    }
    await page.close();
  });

  it("skip link focuses main content", async () => {
    const page = await browser.newPage();
    await page.goto(`${origin}/docs/operations/forgot-password.html`);

    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await page.keyboard.press("Enter");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("main");
    await page.close();
  });

  it("saves ForgotPassword page screenshot", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(`${origin}/docs/operations/forgot-password.html`);
    await mkdir(dirname(SCREENSHOT), { recursive: true });

    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(existsSync(SCREENSHOT)).toBe(true);
    await page.close();
  });
});

if (!existsSync(CHROMIUM)) {
  console.warn(`Skipping the docs browser test: ${CHROMIUM} does not exist. Install Debian's chromium package to run it.`);
}
