/**
 * The OAuth 2.0 authorization-code flow equivalent to login.mailchimp.com ([OAUTH],
 * reference/mailchimp-api.md §1): authorize redirects with code and state, the form-encoded token
 * exchange returns a token that never expires, metadata names the data center and API endpoint,
 * and the token works as a Bearer credential on that data center only.
 */
import axios from "axios";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { startMailchimpSandbox } from "../index.js";
import type { SandboxHandle } from "../sandbox.handle.js";

let sandbox: SandboxHandle;
const http = axios.create({ validateStatus: () => true, maxRedirects: 0 });
const redirectUri = "https://connector.example-plant.com/oauth/mailchimp/callback";

beforeAll(async () => {
  sandbox = await startMailchimpSandbox({ latency: { perRequestMs: 0, perBatchMemberMs: 0 } });
});

afterAll(async () => {
  await sandbox.close();
});

async function authorize(params: Record<string, string>) {
  return http.get(`${sandbox.loginUrl}/oauth2/authorize`, {
    params: {
      response_type: "code",
      client_id: sandbox.defaults?.oauthClientId,
      redirect_uri: redirectUri,
      ...params,
    },
  });
}

function exchange(code: string, overrides: Record<string, string> = {}) {
  return http.post(
    `${sandbox.loginUrl}/oauth2/token`,
    new URLSearchParams({
      grant_type: "authorization_code",
      client_id: sandbox.defaults?.oauthClientId ?? "",
      client_secret: sandbox.defaults?.oauthClientSecret ?? "",
      redirect_uri: redirectUri,
      code,
      ...overrides,
    }).toString(),
    { headers: { "content-type": "application/x-www-form-urlencoded" } },
  );
}

describe("OAuth 2.0 authorization code", () => {
  it("runs authorize → token → metadata → API call with the token", async () => {
    const redirect = await authorize({ state: "xyz-123" });
    const location = new URL(String(redirect.headers.location));
    const code = location.searchParams.get("code") ?? "";
    const token = await exchange(code);
    const accessToken = (token.data as { access_token: string }).access_token;
    const metadata = await http.get(`${sandbox.loginUrl}/oauth2/metadata`, {
      headers: { authorization: `OAuth ${accessToken}` },
    });
    const meta = metadata.data as { dc: string; api_endpoint: string };
    const ping = await http.get(`${meta.api_endpoint}/3.0/ping`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

    expect(redirect.status).toBe(302);
    expect(`${location.origin}${location.pathname}`).toBe(redirectUri);
    expect(location.searchParams.get("state")).toBe("xyz-123");
    expect(token.status).toBe(200);
    expect(token.data).toMatchObject({ expires_in: 0, scope: null });
    expect(metadata.data).toMatchObject({
      dc: "us21",
      api_endpoint: `${sandbox.url}/us21`,
      login_url: sandbox.loginUrl,
      accountname: "Sandbox Manufacturing",
      login: { login_name: expect.any(String) as string },
    });
    expect(ping.status).toBe(200);
  });

  it("refuses a code used twice, a wrong secret and a wrong redirect_uri", async () => {
    const code =
      new URL(String((await authorize({})).headers.location)).searchParams.get("code") ?? "";
    const wrongSecret = await exchange(code, { client_secret: "nope" });
    const wrongRedirect = await exchange(code, {
      redirect_uri: "https://elsewhere.example-plant.com/cb",
    });
    const first = await exchange(code);
    const second = await exchange(code);

    expect(wrongSecret.status).toBe(401);
    expect(wrongSecret.data).toMatchObject({ error: "invalid_client" });
    expect(wrongRedirect.data).toMatchObject({ error: "invalid_grant" });
    expect(first.status).toBe(200);
    expect(second.status).toBe(400);
    expect(second.data).toMatchObject({ error: "invalid_grant" });
  });

  it("redirects access_denied when the user declines and refuses unknown clients", async () => {
    const denied = await authorize({ sandbox_decision: "deny", state: "s" });
    const unknown = await authorize({ client_id: "999" });

    expect(new URL(String(denied.headers.location)).searchParams.get("error")).toBe(
      "access_denied",
    );
    expect(unknown.status).toBe(400);
  });

  it("authorizes another account and refuses its token at another data center", async () => {
    const eu = sandbox.createAccount({ dc: "eu1", name: "EU plant" });
    const redirect = await authorize({ sandbox_account_id: eu.account.id });
    const code = new URL(String(redirect.headers.location)).searchParams.get("code") ?? "";
    const accessToken = ((await exchange(code)).data as { access_token: string }).access_token;
    const meta = (
      await http.get(`${sandbox.loginUrl}/oauth2/metadata`, {
        headers: { authorization: `Bearer ${accessToken}` },
      })
    ).data as { dc: string };
    const wrongDc = await http.get(`${sandbox.baseUrlFor("us21")}/ping`, {
      headers: { authorization: `Bearer ${accessToken}` },
    });

    expect(meta.dc).toBe("eu1");
    expect(wrongDc.status).toBe(401);
    expect(wrongDc.data).toMatchObject({ title: "API Key Invalid" });
  });

  it("refuses a token request that is not form-encoded", async () => {
    const response = await http.post(`${sandbox.loginUrl}/oauth2/token`, {
      grant_type: "authorization_code",
    });

    expect(response.status).toBe(400);
  });
});
