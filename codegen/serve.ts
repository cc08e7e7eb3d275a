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

/** A running preview server. */
export interface StaticServer {
  /** The origin, such as `http://127.0.0.1:8080`, without the base path. */
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the files under `root` on 127.0.0.1 at the URL path `basePath`
 * (`/` or a path such as `/api/`). A folder serves its index.html, and an
 * unknown path gets 404 with the site's 404.html when it has one. Paths that
 * would leave `root` get 404 as well.
 */
export async function serveStatic(root: string, port: number, basePath = "/"): Promise<StaticServer> {
  const folder = path.resolve(root);
  const notFoundPage = await readFile(path.join(folder, "404.html")).catch(() => undefined);

  const server = createServer((request, response) => {
    void (async () => {
      const pathname = decodeURIComponent(new URL(request.url ?? "/", "http://127.0.0.1").pathname);
      if (`${pathname}/` === basePath) {
        response.writeHead(301, { location: basePath }).end();
        return;
      }
      const file = pathname.startsWith(basePath) ? await resolveFile(folder, pathname.slice(basePath.length)) : undefined;
      const body = file === undefined ? undefined : await readFile(file).catch(() => undefined);
      if (file === undefined || body === undefined) {
        if (notFoundPage !== undefined) response.writeHead(404, { "content-type": TYPES[".html"] }).end(notFoundPage);
        else response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`not found: ${pathname}\n`);
        return;
      }
      response.writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" }).end(body);
    })().catch(() => response.writeHead(400, { "content-type": "text/plain; charset=utf-8" }).end("bad request\n"));
  });

  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}

/** Returns the file a site-relative path names, its index.html for a folder, or undefined when it would leave the folder. */
async function resolveFile(folder: string, relativePath: string): Promise<string | undefined> {
  const file = path.join(folder, relativePath);
  if (file !== folder && !file.startsWith(folder + path.sep)) return undefined;
  const isFolder = (await stat(file).catch(() => undefined))?.isDirectory() === true;
  return isFolder ? path.join(file, "index.html") : file;
}
