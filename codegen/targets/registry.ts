/**
 * Every target the generator knows; a new target is one folder and one line here.
 */
import { clientTarget } from "./client/index.js";
import type { Target } from "./common/target.js";
import { TARGET_NAMES } from "./names.js";
import { docsTarget } from "./docs/index.js";
import { jsonSchemaTarget } from "./json-schema/index.js";
import { mockServerTarget } from "./mock-server/index.js";
import { packageTarget } from "./package/index.js";
import { sensitiveTarget } from "./sensitive/index.js";
import { serializersTarget } from "./serializers/index.js";
import { smithyJsonTarget } from "./smithy-json/index.js";
import { typesTarget } from "./types/index.js";
import { validatorsTarget } from "./validators/index.js";

export const TARGETS: readonly Target[] = [
  packageTarget,
  typesTarget,
  validatorsTarget,
  serializersTarget,
  sensitiveTarget,
  clientTarget,
  mockServerTarget,
  docsTarget,
  smithyJsonTarget,
  jsonSchemaTarget,
];

if (TARGETS.map((t) => t.name).join() !== TARGET_NAMES.join()) {
  throw new Error(`codegen/targets/names.ts lists ${TARGET_NAMES.join(", ")} but the registry has ${TARGETS.map((t) => t.name).join(", ")}; update both`);
}
