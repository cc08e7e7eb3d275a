/**
 * The names of the registered targets, in registry order. Kept apart from the
 * registry so the CLI can check names without loading every target; the
 * registry asserts at load time that both lists agree.
 */
export const TARGET_NAMES = ["package", "types", "validators", "serializers", "sensitive", "client", "mock-server", "docs", "smithy-json", "json-schema"] as const;
