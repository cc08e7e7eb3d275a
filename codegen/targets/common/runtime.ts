/**
 * Runtime files: hand-written TypeScript under templates/runtime/ that a
 * target copies into the generated package beside the code it generates.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";
import { formatTypeScript, generatedHeader } from "./format.js";
import type { GeneratedFile, TargetContext } from "./target.js";

/** Copies `templates/runtime/<name>` to `src/<name>` with the generated-file header. */
export async function runtimeFile(context: TargetContext, name: string): Promise<GeneratedFile> {
  const text = await readFile(path.join(context.templatesDir, "runtime", name), "utf8");
  const header = generatedHeader(`templates/runtime/${name}`);
  return { path: `src/${name}`, contents: await formatTypeScript(`${header}\n\n${text}`) };
}
