/**
 * Name conversions shared by the targets.
 */

/** Splits `ForgotPasswordRequest`, `SMS_MFA` or `userPoolId` into lower-case words. */
export function words(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .replace(/([A-Z]+)([A-Z][a-z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter((w) => w.length > 0)
    .map((w) => w.toLowerCase());
}

/** `ForgotPassword` becomes `forgot-password`: the form used in file names and URLs. */
export function kebabCase(name: string): string {
  return words(name).join("-");
}

/** `ClientId` becomes `clientId`, the form the service uses for member paths in validation messages. */
export function lowerCamelCase(name: string): string {
  return name.length === 0 ? name : name[0]!.toLowerCase() + name.slice(1);
}

/** `forgot password` becomes `ForgotPassword`. */
export function pascalCase(name: string): string {
  return words(name)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join("");
}
