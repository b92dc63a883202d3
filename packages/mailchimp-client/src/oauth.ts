/**
 * Mailchimp OAuth 2.0 (authorization code, "web server flow"): the console sends the operator to
 * authorize, exchanges the returned code for a token, then asks the metadata endpoint which data
 * center the account lives in. Tokens do not expire and there are no scopes (reference
 * mailchimp-api.md §1).
 */
import axios from "axios";

import { registerSecret } from "@ml-connector/runtime";

import { mailchimpErrorFromException, mailchimpErrorFromResponse } from "./mailchimp-errors.js";

export type TMailchimpOAuthApp = {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  /** https://login.mailchimp.com (or the sandbox's /login). */
  loginBaseUrl: string;
};

export type TMailchimpMetadata = { dc: string; apiEndpoint: string; accountName?: string };

export function authorizeUrl(app: TMailchimpOAuthApp, state: string): string {
  const url = new URL(`${app.loginBaseUrl.replace(/\/+$/, "")}/oauth2/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", app.clientId);
  url.searchParams.set("redirect_uri", app.redirectUri);
  url.searchParams.set("state", state);

  return url.toString();
}

export async function exchangeCode(app: TMailchimpOAuthApp, code: string): Promise<string> {
  registerSecret(app.clientSecret);
  const form = new URLSearchParams({
    grant_type: "authorization_code",
    client_id: app.clientId,
    client_secret: app.clientSecret,
    redirect_uri: app.redirectUri,
    code,
  });
  try {
    const response = await axios.post(
      `${app.loginBaseUrl.replace(/\/+$/, "")}/oauth2/token`,
      form.toString(),
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        timeout: 30_000,
        validateStatus: () => true,
      },
    );
    if (response.status !== 200) {
      throw mailchimpErrorFromResponse("OAuth token exchange", response.status, response.data);
    }
    const token = (response.data as Record<string, unknown>).access_token;
    if (typeof token !== "string" || token === "") {
      throw new Error("Mailchimp's token endpoint answered without an access_token");
    }
    registerSecret(token);

    return token;
  } catch (err) {
    throw mailchimpErrorFromException(err, "OAuth token exchange");
  }
}

export async function fetchMetadata(
  loginBaseUrl: string,
  accessToken: string,
): Promise<TMailchimpMetadata> {
  const response = await axios.get(`${loginBaseUrl.replace(/\/+$/, "")}/oauth2/metadata`, {
    headers: { authorization: `OAuth ${accessToken}`, accept: "application/json" },
    timeout: 30_000,
    validateStatus: () => true,
  });
  if (response.status !== 200) {
    throw mailchimpErrorFromResponse("OAuth metadata", response.status, response.data);
  }
  const body = response.data as Record<string, unknown>;
  if (typeof body.dc !== "string" || typeof body.api_endpoint !== "string") {
    throw new Error("Mailchimp's metadata endpoint answered without dc and api_endpoint");
  }

  return {
    dc: body.dc,
    apiEndpoint: body.api_endpoint,
    accountName: typeof body.accountname === "string" ? body.accountname : undefined,
  };
}
