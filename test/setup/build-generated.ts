/**
 * Builds the generated package with its own tsconfig before the tests run,
 * so tests import its compiled JavaScript by package name, as a consumer does.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

export default function buildGeneratedPackage(): void {
  const tsc = fileURLToPath(new URL("../../node_modules/typescript/bin/tsc", import.meta.url));
  const project = fileURLToPath(new URL("../../generated/cognito-identity-provider/tsconfig.json", import.meta.url));
  execFileSync(process.execPath, [tsc, "-p", project], { stdio: "inherit" });
}
