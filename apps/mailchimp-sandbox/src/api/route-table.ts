/**
 * Finds the operation a method and path name. Paths are matched against the spec's templates;
 * a path that exists with another method is 405 Method Not Allowed, anything else 404 Resource
 * Not Found ([ERR] glossary).
 */
import { problems } from "../http/api-problem.js";
import type { THttpMethod } from "../spec/served-operations.js";
import type { TApiRoute } from "./api-route.js";

type TCompiled = { route: TApiRoute; pattern: RegExp; names: string[] };

export type TRouteMatch = { route: TApiRoute; params: Record<string, string> };

export class RouteTable {
  private readonly compiled: TCompiled[];

  constructor(routes: TApiRoute[]) {
    this.compiled = routes.map((route) => compile(route));
  }

  get routes(): TApiRoute[] {
    return this.compiled.map((entry) => entry.route);
  }

  /** Throws ApiProblem 404/405 when nothing matches. */
  match(method: THttpMethod, path: string): TRouteMatch {
    const trimmed = path.length > 1 ? path.replace(/\/+$/, "") : path;
    const allowed: string[] = [];

    for (const entry of this.compiled) {
      const found = entry.pattern.exec(trimmed);
      if (found === null) continue;
      allowed.push(entry.route.method.toUpperCase());
      if (entry.route.method !== method) continue;

      const params: Record<string, string> = {};
      entry.names.forEach((name, index) => {
        params[name] = decodeURIComponent(found[index + 1] ?? "");
      });

      return { route: entry.route, params };
    }

    throw allowed.length > 0 ? problems.methodNotAllowed(allowed) : problems.notFound();
  }
}

function compile(route: TApiRoute): TCompiled {
  const names: string[] = [];
  const source = route.path.replace(/\{(\w+)\}/g, (_m, name: string) => {
    names.push(name);

    return "([^/]+)";
  });

  return { route, pattern: new RegExp(`^${source === "/" ? "/?" : source}$`), names };
}
