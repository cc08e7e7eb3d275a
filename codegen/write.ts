/**
 * Writes a service's generated files atomically, or compares them with what
 * is on disk for `generate --check`.
 *
 * The output folder carries a manifest of the files the generator wrote. A
 * file in the folder that the manifest does not list was put there by
 * someone else: it is kept and reported, never deleted.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { GeneratedFile } from "./targets/common/target.js";

export const MANIFEST = ".shapegen-manifest.json";

/** Folders a user may create in a generated package (by building or installing it); they are never compared or moved. */
const USER_FOLDERS = new Set(["node_modules", "dist"]);

interface Manifest {
  readonly generator: string;
  /** SHA-256 of everything the output was generated from; a run with the same inputs has nothing to do. */
  readonly inputs?: string;
  readonly files: Readonly<Record<string, string>>;
}

/** The differences between the generated files and the output folder. */
export interface Drift {
  readonly changed: string[];
  readonly missing: string[];
  /** Files the previous run wrote that this run would not write. */
  readonly stale: string[];
  /** Files in the folder that the generator never wrote. */
  readonly foreign: string[];
}

/** Builds the manifest that lists every generated file with its SHA-256. */
function manifestOf(files: readonly GeneratedFile[], inputs?: string): GeneratedFile {
  const manifest: Manifest = {
    generator: "shapegen",
    inputs,
    files: Object.fromEntries(files.map((f) => [f.path, sha256(f.contents)])),
  };
  return { path: MANIFEST, contents: `${JSON.stringify(manifest, null, 2)}\n` };
}

/** Compares generated files with the output folder without writing anything. */
export async function compareOutput(outDir: string, files: readonly GeneratedFile[]): Promise<Drift> {
  const previous = await readManifest(outDir);
  // The manifest's input hash depends on the checkout, not on the output, so --check compares it as written.
  const all = [...files, manifestOf(files, previous?.inputs)];
  const onDisk = await listFiles(outDir);
  const drift: Drift = { changed: [], missing: [], stale: [], foreign: [] };

  for (const file of all) {
    const existing = await readFile(path.join(outDir, file.path), "utf8").catch(() => undefined);
    if (existing === undefined) drift.missing.push(file.path);
    else if (existing !== file.contents) drift.changed.push(file.path);
  }
  const generated = new Set(all.map((f) => f.path));
  for (const file of onDisk) {
    if (generated.has(file)) continue;
    if (previous?.files[file] !== undefined) drift.stale.push(file);
    else drift.foreign.push(file);
  }
  return drift;
}

/**
 * Writes the files into a fresh sibling folder and swaps it in only when
 * every write succeeded, so a failure leaves the old output untouched.
 * Files the generator did not write are carried over and returned.
 */
export async function writeOutput(outDir: string, files: readonly GeneratedFile[], inputs?: string): Promise<{ foreign: string[] }> {
  const { foreign } = await compareOutput(outDir, files);
  const parent = path.dirname(outDir);
  const staging = path.join(parent, `.${path.basename(outDir)}.staging-${process.pid}`);
  const retired = path.join(parent, `.${path.basename(outDir)}.old-${process.pid}`);
  await mkdir(parent, { recursive: true });
  await rm(staging, { recursive: true, force: true });

  try {
    for (const file of [...files, manifestOf(files, inputs)]) await writeInto(staging, file.path, file.contents);
    for (const file of foreign) await writeInto(staging, file, await readFile(path.join(outDir, file)));
    for (const folder of USER_FOLDERS) await rename(path.join(outDir, folder), path.join(staging, folder)).catch(ignoreMissing);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw error;
  }

  await rename(outDir, retired).catch(ignoreMissing);
  await rename(staging, outDir);
  await rm(retired, { recursive: true, force: true });
  return { foreign };
}

/**
 * Checks whether the folder was generated from the same inputs with no generated
 * file changed since; also returns the files in it that the generator did not write.
 */
export async function checkUpToDate(outDir: string, inputs: string): Promise<{ upToDate: boolean; foreign: string[] }> {
  const manifest = await readManifest(outDir);
  if (manifest?.inputs !== inputs) return { upToDate: false, foreign: [] };
  const foreign = (await listFiles(outDir)).filter((file) => file !== MANIFEST && manifest.files[file] === undefined);
  for (const [file, hash] of Object.entries(manifest.files)) {
    const contents = await readFile(path.join(outDir, file), "utf8").catch(() => undefined);
    if (contents === undefined || sha256(contents) !== hash) return { upToDate: false, foreign };
  }
  return { upToDate: true, foreign };
}

async function writeInto(root: string, relative: string, contents: string | Buffer): Promise<void> {
  const target = path.join(root, relative);
  await mkdir(path.dirname(target), { recursive: true });
  await writeFile(target, contents);
}

function ignoreMissing(error: NodeJS.ErrnoException): void {
  if (error.code !== "ENOENT") throw error;
}

async function readManifest(outDir: string): Promise<Manifest | undefined> {
  const text = await readFile(path.join(outDir, MANIFEST), "utf8").catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as Manifest;
  } catch {
    return undefined;
  }
}

/** Lists files under a folder as POSIX-style relative paths, skipping user folders. */
async function listFiles(root: string, prefix = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, prefix), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const relative = prefix === "" ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) {
      if (prefix === "" && USER_FOLDERS.has(entry.name)) continue;
      files.push(...(await listFiles(root, relative)));
    } else {
      files.push(relative);
    }
  }
  return files.sort();
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
