/**
 * The JSON form of a blob is base64 text, and its `length` counts bytes, so
 * the byte bounds become a pattern on the text. Padded base64 of n bytes is
 * floor(n / 3) groups of four characters and a tail for the 1 or 2 bytes left.
 */
import type { Bounds } from "../../model/ir.js";

const CHAR = "[A-Za-z0-9+/]";

/** Returns an anchored pattern matching padded base64 of a byte count within the bounds. */
export function blobPattern({ min = 0, max }: Bounds): string {
  const tails = ["", `${CHAR}{2}==`, `${CHAR}{3}=`];
  const alternatives: string[] = [];
  tails.forEach((tail, remainder) => {
    const fewest = Math.max(0, Math.ceil((min - remainder) / 3));
    const largest = max === undefined ? undefined : Math.floor((max - remainder) / 3);
    if (largest !== undefined && largest < fewest) return;
    alternatives.push(`(?:${CHAR}{4}){${fewest},${largest ?? ""}}${tail}`);
  });
  return `^(?:${alternatives.join("|")})$`;
}
