/**
 * The stateful behaviour of the Cognito mock: user pools, app clients, users
 * and the password-reset flow, over a store kept in memory and, with the
 * server's `store` option, in a SQLite file.
 */
import type { MockHandlers } from "../mock-server.js";
import type { BehaviorContext, MockBehavior } from "../mock-state.js";
import { Admin } from "./admin.js";
import { Auth } from "./auth.js";
import { PasswordReset } from "./password-reset.js";
import { dumpStore, seedStore } from "./seed.js";
import { Store } from "./store.js";

/** Builds the behaviour; the generated mock server calls it once per server. */
export function createBehavior(context: BehaviorContext): MockBehavior {
  const store = new Store(context.stateFile);
  const admin = new Admin(store, context);
  const auth = new Auth(store, context);
  const reset = new PasswordReset(store, context);

  const handlers: MockHandlers = {
    CreateUserPool: (input) => admin.createUserPool(input),
    CreateUserPoolClient: (input) => admin.createUserPoolClient(input),
    AdminCreateUser: (input) => admin.adminCreateUser(input),
    AdminSetUserPassword: (input) => admin.adminSetUserPassword(input),
    AdminUpdateUserAttributes: (input) => admin.adminUpdateUserAttributes(input),
    AdminDisableUser: (input) => admin.adminDisableUser(input),
    AdminEnableUser: (input) => admin.adminEnableUser(input),
    AdminGetUser: (input) => admin.adminGetUser(input),
    InitiateAuth: (input, request) => auth.initiateAuth(input, request),
    ForgotPassword: (input) => reset.forgotPassword(input),
    ConfirmForgotPassword: (input) => reset.confirmForgotPassword(input),
  };

  return {
    handlers: handlers as MockBehavior["handlers"],
    route: (method, path) => auth.route(method, path),
    dump: () => dumpStore(store),
    reset: () => store.reset(),
    seed: (document) => seedStore(store, context, document),
  };
}
