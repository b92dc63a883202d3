/**
 * GET / (account information) and GET /ping, the cheap auth and data-center check the connector
 * runs when a connection is added ([SPEC] pings: `health_status` "Everything's Chimpy!").
 */
import { ok, type TApiRoute } from "./api-route.js";
import { resourceLinks } from "./links.js";

export const ROOT_ROUTES: TApiRoute[] = [
  {
    method: "get",
    path: "/ping",
    handle: () => ok({ health_status: "Everything's Chimpy!" }),
  },
  {
    method: "get",
    path: "/",
    handle: (call) => {
      const { account } = call;
      let subscribers = 0;
      for (const list of account.lists.values()) {
        for (const member of list.members.values())
          if (member.status === "subscribed") subscribers += 1;
      }

      return ok({
        account_id: account.id,
        login_id: String(account.loginId),
        account_name: account.name,
        email: account.loginEmail,
        first_name: "Sandbox",
        last_name: "Owner",
        username: account.loginName,
        avatar_url: "",
        role: account.role,
        member_since: "2020-01-01T00:00:00+00:00",
        pricing_plan_type: "monthly",
        first_payment: "2020-01-01T00:00:00+00:00",
        account_timezone: "America/Detroit",
        account_industry: "Manufacturing",
        contact: {
          company: account.name,
          addr1: "1 Plant Road",
          addr2: "",
          city: "Detroit",
          state: "MI",
          zip: "48201",
          country: "US",
        },
        pro_enabled: false,
        last_login: "2020-01-01T00:00:00+00:00",
        total_subscribers: subscribers,
        _links: resourceLinks(call.apiBase, "/"),
      });
    },
  },
];
