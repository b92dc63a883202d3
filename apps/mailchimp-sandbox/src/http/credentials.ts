/**
 * How a request authenticates ([CONV], [OAUTH], reference §1): HTTP Basic with any user name and
 * the API key as password, the older `Authorization: apikey <key>` form, or
 * `Authorization: Bearer <token>` (`OAuth <token>` is accepted too) after OAuth.
 */
export type TCredential = { kind: "apiKey"; apiKey: string } | { kind: "token"; token: string };

export function readCredential(authorization: string | undefined): TCredential | undefined {
  if (authorization === undefined) return undefined;
  const space = authorization.indexOf(" ");
  if (space <= 0) return undefined;
  const scheme = authorization.slice(0, space).toLowerCase();
  const value = authorization.slice(space + 1).trim();
  if (value === "") return undefined;

  if (scheme === "basic") {
    const decoded = Buffer.from(value, "base64").toString("utf8");
    const colon = decoded.indexOf(":");
    const apiKey = colon >= 0 ? decoded.slice(colon + 1) : decoded;

    return apiKey === "" ? undefined : { kind: "apiKey", apiKey };
  }
  if (scheme === "apikey") return { kind: "apiKey", apiKey: value };
  if (scheme === "bearer" || scheme === "oauth") return { kind: "token", token: value };

  return undefined;
}
