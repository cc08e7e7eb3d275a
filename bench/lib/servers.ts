/**
 * Servers under load run in child processes, so autocannon in the bench
 * process does not compete with them for one event loop. Each child prints
 * its URL on the first line of stdout and, when it has an IPC channel,
 * replies to every message with its memory use after a forced GC.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import autocannon, { type Result } from "autocannon";

/** A server started in a child process. */
export interface ChildServer {
  readonly url: string;
  readonly child: ChildProcess;
  /** Returns the child's memory use after a forced GC. */
  memory(): Promise<NodeJS.MemoryUsage>;
  stop(): Promise<void>;
}

/** Starts an ES module given as source text in a child node process started with --expose-gc. */
export function startChildModule(source: string, env: Record<string, string> = {}, nodeOptions: readonly string[] = []): Promise<ChildServer> {
  const child = spawn(process.execPath, ["--expose-gc", ...nodeOptions, "--input-type=module", "-e", source], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", (code) => reject(new Error(`the child server exited with code ${code} before it printed its URL`)));
    child.stdout!.once("data", (chunk: Buffer) => {
      const url = chunk.toString("utf8").split("\n")[0]!.trim();
      resolve({
        url,
        child,
        memory: () =>
          new Promise((done) => {
            child.once("message", (usage) => done(usage as NodeJS.MemoryUsage));
            child.send("memory");
          }),
        stop: () => stopChild(child),
      });
    });
  });
}

/** Source lines a child module appends so the parent can ask for its memory after a forced GC. */
export const MEMORY_REPLY = `
process.on("message", () => {
  globalThis.gc();
  process.send(process.memoryUsage());
});
process.on("disconnect", () => process.exit(0));
`;

/** Stops a child with SIGTERM and waits for it to exit. */
export function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}

/** One request autocannon repeats. */
export interface LoadRequest {
  readonly target: string;
  readonly body: string;
}

/** Sends the request over `connections` connections for `seconds`, optionally at a fixed overall rate. */
export function runLoad(url: string, request: LoadRequest, options: { connections: number; seconds: number; rate?: number }): Promise<Result> {
  return autocannon({
    url,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate === undefined ? {} : { overallRate: options.rate }),
    method: "POST",
    headers: { "content-type": "application/x-amz-json-1.1", "x-amz-target": request.target },
    body: request.body,
  });
}

/** The figures of one autocannon run that the bench scripts print and store. */
export interface LoadFigures {
  readonly requestsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  readonly total: number;
}

/** Extracts the figures from an autocannon result. */
export function figuresOf(result: Result): LoadFigures {
  const statuses: Record<string, number> = {};
  for (const [status, stats] of Object.entries(result.statusCodeStats ?? {})) statuses[status] = stats.count ?? 0;
  return {
    requestsPerSecond: Math.round(result.requests.total / result.duration),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    statuses,
    errors: result.errors,
    timeouts: result.timeouts,
    total: result.requests.total,
  };
}

/**
 * Returns the CPU seconds (user plus system) a process has used, read from
 * /proc/<pid>/stat, or undefined where there is no /proc. The kernel counts
 * in clock ticks, 100 per second on Linux builds with the usual USER_HZ.
 */
export function cpuSeconds(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may contain spaces, so fields are counted after its closing parenthesis.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}
