/**
 * A static file server for previewing a built documentation site on loopback.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";

const TYPES: Readonly<Record<string, string>> = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".png": "image/png",
  ".svg": "image/svg+xml",
  ".md": "text/markdown; charset=utf-8",
};

/** Serves `root` on 127.0.0.1 and returns the base URL; paths outside `root` get 404. */
export async function serveStatic(root: string, port: number): Promise<string> {
  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://localhost").pathname);
      let file = path.join(root, pathname);
      if (!file.startsWith(root)) file = path.join(root, "__outside__");
      if ((await stat(file).catch(() => undefined))?.isDirectory()) file = path.join(file, "index.html");
      const body = await readFile(file).catch(() => undefined);
      if (body === undefined) {
        response.writeHead(404, { "content-type": "text/plain" }).end(`not found: ${pathname}\n`);
        return;
      }
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    })().catch(() => response.writeHead(400).end());
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
