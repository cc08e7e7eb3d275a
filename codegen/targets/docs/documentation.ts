/**
 * Renders the `documentation` trait, which contains HTML from the AWS models,
 * into markup that is safe to place in a page.
 */
import Handlebars from "handlebars";
import sanitizeHtml from "sanitize-html";

/** Link schemes kept in model documentation. Links with any other scheme, or none, lose their href. */
const LINK_SCHEME = /^(?:https?|mailto):/i;

/** Tags whose whitespace is significant, so the text filter leaves it alone. */
const PREFORMATTED = new Set(["pre", "code"]);

/** Turns the AWS `<note>` and `<important>` tags into a div with an ARIA note role. */
function callout(kind: "note" | "important"): sanitizeHtml.Transformer {
  return () => ({ tagName: "div", attribs: { class: kind, role: "note" } });
}

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: ["p", "br", "code", "pre", "a", "ul", "ol", "li", "i", "b", "em", "strong", "dl", "dt", "dd", "div", "sup", "sub", "kbd", "var"],
  allowedAttributes: {
    a: ["href"],
    div: [
      { name: "class", multiple: false, values: ["note", "important"] },
      { name: "role", multiple: false, values: ["note"] },
    ],
  },
  allowedSchemes: ["http", "https", "mailto"],
  allowedSchemesByTag: {},
  allowProtocolRelative: false,
  disallowedTagsMode: "discard",
  transformTags: {
    note: callout("note"),
    important: callout("important"),
    // Relative links point into the AWS documentation site, which this site does not contain.
    a: (tagName, attribs): sanitizeHtml.Tag => {
      const href = attribs.href?.trim();
      const kept: sanitizeHtml.Attributes = href !== undefined && LINK_SCHEME.test(href) ? { href } : {};
      return { tagName, attribs: kept };
    },
  },
  textFilter: (text, tagName) => (PREFORMATTED.has(tagName) ? text : text.replace(/\s+/g, " ")),
};

const TEXT_ONLY: sanitizeHtml.IOptions = { allowedTags: [], allowedAttributes: {}, textFilter: (text) => text.replace(/\s+/g, " ") };

/**
 * Sanitizes model documentation into HTML that templates may print unescaped.
 * Scripts, styles, event-handler attributes and links other than http, https
 * and mailto are removed. Returns null when there is no documentation.
 */
export function renderDocumentation(documentation: string | undefined): Handlebars.SafeString | null {
  if (documentation === undefined) return null;
  const html = sanitizeHtml(documentation, OPTIONS).trim();
  return html.length === 0 ? null : new Handlebars.SafeString(html);
}

/** Returns the documentation as plain text with whitespace collapsed. The caller escapes it. */
export function documentationText(documentation: string | undefined): string {
  if (documentation === undefined) return "";
  const escaped = sanitizeHtml(documentation, TEXT_ONLY).trim();
  // sanitize-html decodes entities on input and escapes only these four on output.
  return escaped.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&amp;/g, "&");
}

/**
 * Returns the first sentence of the documentation as plain text: the text up
 * to the first `.`, `!` or `?` that is followed by the end or by whitespace
 * and a capital letter, so "e.g. a user" does not end the sentence.
 * NOTE: an abbreviation before a capitalized word, as in "e.g. Amazon", still ends it early.
 */
export function summarize(documentation: string | undefined): string {
  const text = documentationText(documentation);
  const end = /[.!?](?=\s+[\p{Lu}("']|$)/u.exec(text);
  return end === null ? text : text.slice(0, end.index + 1);
}
