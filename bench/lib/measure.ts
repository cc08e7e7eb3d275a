/**
 * Timing helpers for the bench scripts: run a function in timed batches after
 * a warm-up and report the median, fastest and slowest batch as operations
 * per second.
 */

/** The throughput of one measured function, in operations per second. */
export interface Measurement {
  readonly name: string;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly samples: number;
  readonly iterations: number;
}

export interface MeasureOptions {
  /** Timed batches; the median of them is the figure reported. */
  readonly samples?: number;
  /** Calls per batch. */
  readonly iterations?: number;
  /** Untimed batches run first, so the JIT has optimized the code. */
  readonly warmup?: number;
}

/** Values a measured function returns are stored here, so the engine cannot drop the calls as dead code. */
export let sink: unknown;

/** Measures `run` in batches of `iterations` calls and returns the median, min and max rate. */
export function measure(name: string, run: () => unknown, options: MeasureOptions = {}): Measurement {
  const { samples = 9, iterations = 100_000, warmup = 3 } = options;
  for (let i = 0; i < warmup; i++) batch(run, iterations);

  const rates: number[] = [];
  for (let i = 0; i < samples; i++) rates.push(iterations / (batch(run, iterations) / 1000));
  rates.sort((a, b) => a - b);
  return { name, median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]!, samples, iterations };
}

/** Returns the milliseconds `iterations` calls take. */
function batch(run: () => unknown, iterations: number): number {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) sink = run();
  return performance.now() - started;
}

/** Formats a rate such as 1234567 as "1.23 M". */
export function formatRate(rate: number): string {
  if (rate >= 1e6) return `${(rate / 1e6).toFixed(2)} M`;
  if (rate >= 1e3) return `${(rate / 1e3).toFixed(1)} k`;
  return rate.toFixed(0);
}

/** Measures an asynchronous `run` like `measure`, awaiting each call before the next starts. */
export async function measureAsync(name: string, run: () => Promise<unknown>, options: MeasureOptions = {}): Promise<Measurement> {
  const { samples = 9, iterations = 10_000, warmup = 3 } = options;
  for (let i = 0; i < warmup; i++) await batchAsync(run, iterations);

  const rates: number[] = [];
  for (let i = 0; i < samples; i++) rates.push(iterations / ((await batchAsync(run, iterations)) / 1000));
  rates.sort((a, b) => a - b);
  return { name, median: rates[Math.floor(rates.length / 2)]!, min: rates[0]!, max: rates[rates.length - 1]!, samples, iterations };
}

/** Returns the milliseconds `iterations` awaited calls take. */
async function batchAsync(run: () => Promise<unknown>, iterations: number): Promise<number> {
  const started = performance.now();
  for (let i = 0; i < iterations; i++) sink = await run();
  return performance.now() - started;
}
