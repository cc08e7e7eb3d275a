// Formats TypeScript with Prettier in a worker thread, so large generated files format in parallel.
import { parentPort } from "node:worker_threads";
import { format } from "prettier";

parentPort.on("message", async ({ id, source, options }) => {
  try {
    parentPort.postMessage({ id, formatted: await format(source, options) });
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
  }
});
