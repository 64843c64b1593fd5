import type { Services } from "../context.ts";
import type { Auth } from "./auth.ts";

export interface RouteDeps {
  services: Services;
  auth: Auth;
}
