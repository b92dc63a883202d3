/**
 * `_links` of a resource: Mailchimp's hypermedia references. The sandbox sends the `self` and
 * `parent` links with the real href shapes; it does not send the schema URLs.
 */
export type TLink = { rel: string; href: string; method: "GET" };

export function resourceLinks(apiBase: string, path: string, parentPath?: string): TLink[] {
  const links: TLink[] = [{ rel: "self", href: `${apiBase}${path}`, method: "GET" }];
  if (parentPath !== undefined)
    links.push({ rel: "parent", href: `${apiBase}${parentPath}`, method: "GET" });

  return links;
}
