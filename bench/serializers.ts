/**
 * Compares shapegen's generated client with the official AWS SDK client on
 * one ForgotPassword call: serialize the request, hand it to a transport that
 * returns a fixed 200 response at once, parse the response. Then bundles a
 * one-call entry file per client with esbuild (minified) and compares the
 * sizes. Prints a table and writes bench/results/serializers.json.
 *
 * Run: npx tsx bench/serializers.ts
 */
import { gzipSync } from "node:zlib";
import path from "node:path";
import { CognitoIdentityProviderClient as SdkClient, ForgotPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
import { build } from "esbuild";
import { CognitoIdentityProviderClient } from "../generated/cognito-identity-provider/src/index.js";
import { formatRate, measureAsync, type Measurement } from "./lib/measure.js";
import { writeResults } from "./lib/report.js";

const ROOT = path.resolve(import.meta.dirname, "..");
const PACKAGE_SOURCE = path.join(ROOT, "generated/cognito-identity-provider/src/index.ts");

const INPUT = { ClientId: "26lbdlrtbdqcm2vra5k8e3ugq5", Username: "alice" };
const RESPONSE_BODY = JSON.stringify({ CodeDeliveryDetails: { Destination: "a***@e***", DeliveryMedium: "EMAIL", AttributeName: "email" } });
const RESPONSE_HEADERS = { "content-type": "application/x-amz-json-1.1", "x-amzn-requestid": "6b1f4c2e-0d0c-4a55-9f3e-1d2c3b4a5f60" };

function shapegenClient(): CognitoIdentityProviderClient {
  const response = { status: 200, headers: RESPONSE_HEADERS, body: RESPONSE_BODY };
  return new CognitoIdentityProviderClient({ region: "us-east-1", maxAttempts: 1, transport: async () => response });
}

function sdkClient(): SdkClient {
  const body = new TextEncoder().encode(RESPONSE_BODY);
  return new SdkClient({
    region: "us-east-1",
    maxAttempts: 1,
    requestHandler: { handle: async () => ({ response: { statusCode: 200, reason: "OK", headers: RESPONSE_HEADERS, body } }) },
  });
}

/** Fails before timing anything unless both clients parse the fixed response to the same CodeDeliveryDetails. */
async function checkOutputs(shapegen: CognitoIdentityProviderClient, sdk: SdkClient): Promise<void> {
  const ours = JSON.stringify((await shapegen.forgotPassword(INPUT)).CodeDeliveryDetails);
  const theirs = JSON.stringify((await sdk.send(new ForgotPasswordCommand(INPUT))).CodeDeliveryDetails);
  if (ours !== theirs) throw new Error(`the clients parse the fixed response differently: shapegen ${ours}, AWS SDK ${theirs}`);
}

// ---------------------------------------------------------------------------
// Bundle size

interface BundleSize {
  readonly client: string;
  readonly platform: "node" | "browser";
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
}

const ENTRIES = {
  shapegen: `import { CognitoIdentityProviderClient } from ${JSON.stringify(PACKAGE_SOURCE)};
const client = new CognitoIdentityProviderClient({ region: "us-east-1" });
console.log(await client.forgotPassword({ ClientId: "client", Username: "alice" }));
`,
  "AWS SDK": `import { CognitoIdentityProviderClient, ForgotPasswordCommand } from "@aws-sdk/client-cognito-identity-provider";
const client = new CognitoIdentityProviderClient({ region: "us-east-1" });
console.log(await client.send(new ForgotPasswordCommand({ ClientId: "client", Username: "alice" })));
`,
};

/** Bundles one entry file with esbuild, minified, and returns its size raw and gzipped. */
async function bundleSize(client: keyof typeof ENTRIES, platform: "node" | "browser"): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: ENTRIES[client], resolveDir: ROOT, loader: "ts", sourcefile: `${client}-entry.ts` },
    bundle: true,
    minify: true,
    format: "esm",
    platform,
    target: "es2022",
    write: false,
    logLevel: "error",
  });
  const code = result.outputFiles[0]!.contents;
  return { client, platform, minifiedBytes: code.length, gzipBytes: gzipSync(code, { level: 9 }).length };
}

// ---------------------------------------------------------------------------

async function main(): Promise<void> {
  const shapegen = shapegenClient();
  const sdk = sdkClient();
  await checkOutputs(shapegen, sdk);

  const throughput: Measurement[] = [
    await measureAsync("shapegen", () => shapegen.forgotPassword(INPUT), { samples: 9, iterations: 20_000, warmup: 3 }),
    await measureAsync("AWS SDK", () => sdk.send(new ForgotPasswordCommand(INPUT)), { samples: 9, iterations: 2_000, warmup: 3 }),
  ];
  sdk.destroy();
  const speedup = throughput[0]!.median / throughput[1]!.median;

  const sizes: BundleSize[] = [];
  for (const platform of ["browser", "node"] as const) {
    for (const client of ["shapegen", "AWS SDK"] as const) sizes.push(await bundleSize(client, platform));
  }

  printThroughput(throughput, speedup);
  printSizes(sizes);
  writeResults("serializers", {
    call: "ForgotPassword: serialize, a transport returning a fixed 200 response, parse",
    throughput: throughput.map((m) => ({ ...m, unit: "calls/s" })),
    shapegenSpeedup: speedup,
    bundle: sizes,
    shapegenSizeFraction: Object.fromEntries(
      (["browser", "node"] as const).map((platform) => [platform, { minified: fraction(sizes, platform, "minifiedBytes"), gzip: fraction(sizes, platform, "gzipBytes") }]),
    ),
  });
}

/** shapegen's bundle size as a fraction of the AWS SDK's on one platform. */
function fraction(sizes: readonly BundleSize[], platform: string, field: "minifiedBytes" | "gzipBytes"): number {
  const of = (client: string) => sizes.find((s) => s.client === client && s.platform === platform)![field];
  return of("shapegen") / of("AWS SDK");
}

function printThroughput(measurements: readonly Measurement[], speedup: number): void {
  console.log(`${"client".padEnd(10)} ${"median calls/s".padStart(15)} ${"min".padStart(10)} ${"max".padStart(10)}`);
  for (const m of measurements) console.log(`${m.name.padEnd(10)} ${formatRate(m.median).padStart(15)} ${formatRate(m.min).padStart(10)} ${formatRate(m.max).padStart(10)}`);
  console.log(`shapegen is ${speedup.toFixed(1)}x the AWS SDK's calls per second (goal: 10x)\n`);
}

function printSizes(sizes: readonly BundleSize[]): void {
  console.log(`${"platform".padEnd(9)} ${"client".padEnd(10)} ${"minified B".padStart(11)} ${"gzip B".padStart(9)}`);
  for (const s of sizes) console.log(`${s.platform.padEnd(9)} ${s.client.padEnd(10)} ${String(s.minifiedBytes).padStart(11)} ${String(s.gzipBytes).padStart(9)}`);
  for (const platform of ["browser", "node"]) {
    console.log(
      `${platform}: shapegen is ${(fraction(sizes, platform, "minifiedBytes") * 100).toFixed(1)}% of the AWS SDK's minified size, ${(fraction(sizes, platform, "gzipBytes") * 100).toFixed(1)}% gzipped (goal: 10%)`,
    );
  }
}

await main();
