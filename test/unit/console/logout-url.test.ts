import { describe, expect, it } from "vitest";
import { hostedUiLogoutUrl } from "../../../console/src/auth/logout-url";

describe("signing out of the deployed console", () => {
  it("goes through the Hosted UI's logout back to the console, which the stack registers as the logout URL", () => {
    const url = hostedUiLogoutUrl({
      mode: "cognito",
      authority: "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_abc",
      clientId: "client-123",
      domain: "https://patron-prod.auth.eu-west-1.amazoncognito.com",
      redirectUri: "https://d111.cloudfront.net/console/sign-in",
    });
    expect(url).toBe(
      "https://patron-prod.auth.eu-west-1.amazoncognito.com/logout?client_id=client-123&logout_uri=https%3A%2F%2Fd111.cloudfront.net%2Fconsole%2F",
    );
  });

  it("locally there is no Hosted UI session to end", () => {
    expect(hostedUiLogoutUrl({ mode: "local", tokenUrl: "/_local/token" })).toBeUndefined();
  });
});
