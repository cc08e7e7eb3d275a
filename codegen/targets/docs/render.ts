/**
 * Loads the Handlebars templates of the docs site and renders pages with them.
 */
import { readdir, readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import Handlebars from "handlebars";
import type { IndexView, LayoutView, OperationView, ShapeView } from "./views.js";

/** The compiled page templates of `templates/docs/`. */
export interface DocsTemplates {
  readonly index: Handlebars.TemplateDelegate<IndexView>;
  readonly operation: Handlebars.TemplateDelegate<OperationView>;
  readonly shape: Handlebars.TemplateDelegate<ShapeView>;
  /** The page a static host serves for unknown URLs. */
  readonly notFound: Handlebars.TemplateDelegate<LayoutView>;
  /** The stylesheet, copied to the site as it is. */
  readonly stylesheet: string;
  /** The script of the search box, copied to the site as it is. */
  readonly searchScript: string;
}

/**
 * Compiles the page templates of `<templatesDir>/docs` and registers
 * `layout.hbs` and every file of `partials/` as partials. Templates run in
 * strict mode, so a misspelled field fails generation instead of printing
 * nothing.
 */
export async function loadDocsTemplates(templatesDir: string): Promise<DocsTemplates> {
  const dir = join(templatesDir, "docs");
  const handlebars = Handlebars.create();
  const read = (file: string): Promise<string> => readFile(join(dir, file), "utf8");

  handlebars.registerPartial("layout", await read("layout.hbs"));
  const partials = (await readdir(join(dir, "partials"))).filter((file) => file.endsWith(".hbs")).sort();
  for (const file of partials) {
    handlebars.registerPartial(basename(file, ".hbs"), await read(join("partials", file)));
  }

  const compile = async <T>(file: string): Promise<Handlebars.TemplateDelegate<T>> => handlebars.compile<T>(await read(file), { strict: true });
  return {
    index: await compile<IndexView>("index.hbs"),
    operation: await compile<OperationView>("operation.hbs"),
    shape: await compile<ShapeView>("shape.hbs"),
    notFound: await compile<LayoutView>("404.hbs"),
    stylesheet: await read(join("assets", "style.css")),
    searchScript: await read(join("assets", "search.js")),
  };
}
