/**
 * The smithy-json target: the model as Smithy's JSON AST, for Smithy tools.
 */
import { toSmithyAst } from "../../model/smithy-ast.js";
import type { Target } from "../common/target.js";

export const smithyJsonTarget: Target = {
  name: "smithy-json",
  description: "the model as Smithy JSON AST (smithy/model.json)",
  async generate({ model }) {
    return [{ path: "smithy/model.json", contents: `${JSON.stringify(toSmithyAst(model), null, 2)}\n` }];
  },
};
