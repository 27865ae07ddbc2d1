import { describe, expect, it } from "vitest";
import { oneClickUrl, unsubscribeHeaders } from "../../../domain/messaging/unsubscribe";

describe("one-click unsubscribe URL", () => {
  it("accepts https on any host", () => {
    expect(oneClickUrl("https://api.shop.example/unsubscribe?token=t")).toBe(
      "https://api.shop.example/unsubscribe?token=t",
    );
  });

  it("accepts plain http on loopback hosts only, for the local platform", () => {
    for (const url of [
      "http://127.0.0.1:3000/unsubscribe?token=t",
      "http://127.8.9.10/unsubscribe",
      "http://localhost:3000/unsubscribe",
      "http://[::1]:3000/unsubscribe",
    ])
      expect(oneClickUrl(url)).toBe(url);
    expect(unsubscribeHeaders("http://127.0.0.1:3000/unsubscribe?token=t")).toEqual({
      "List-Unsubscribe": "<http://127.0.0.1:3000/unsubscribe?token=t>",
      "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    });
  });

  it("refuses plain http on every other host, including look-alikes of loopback", () => {
    for (const url of [
      "http://api.shop.example/unsubscribe",
      "http://10.0.0.5/unsubscribe",
      "http://128.0.0.1/unsubscribe",
      "http://localhost.shop.example/unsubscribe",
      "http://127.0.0.1.nip.io/unsubscribe",
      "http://[::2]/unsubscribe",
    ])
      expect(() => oneClickUrl(url), url).toThrow(/^unsubscribeUrl: must use https \(RFC 8058\)/);
  });

  it("refuses other schemes on loopback too", () => {
    expect(() => oneClickUrl("ftp://127.0.0.1/unsubscribe")).toThrow(/^unsubscribeUrl: must use https/);
  });
});
