import { describe, expect, it } from "vitest";
import { exampleProgramInput, type ProgramInput, parseProgram } from "../../../domain";

function parse(branding: unknown) {
  const { branding: _, ...rest } = structuredClone(exampleProgramInput);
  return parseProgram(branding === undefined ? rest : ({ ...rest, branding } as ProgramInput));
}

describe("program branding", () => {
  it("defaults every field, so a program written before branding still parses", () => {
    const result = parse(undefined);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.program.branding).toEqual({
      displayName: "",
      primaryColor: "#1f6feb",
      backgroundColor: "#f4f5f7",
      postalAddress: "",
    });
  });

  it("keeps the example's full branding block", () => {
    const result = parse(exampleProgramInput.branding);
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.program.branding).toEqual(exampleProgramInput.branding);
  });

  it("names the field of every bad value", () => {
    const result = parse({
      logoUrl: "http://cdn.example/logo.png",
      primaryColor: "crimson",
      backgroundColor: "#fff",
      supportContact: "call us",
      shopUrl: "javascript:alert(1)",
      postalAddress: "x".repeat(301),
      displayName: "y".repeat(81),
      tagline: "unknown",
    });
    if (result.ok) throw new Error("expected the branding to be rejected");
    const byPath = Object.fromEntries(result.errors.map((e) => [e.path, e.message]));
    expect(byPath).toEqual({
      "branding.logoUrl": "logoUrl must be an absolute https URL",
      "branding.primaryColor": "primaryColor must be a hex colour such as #1f6feb",
      "branding.backgroundColor": "backgroundColor must be a hex colour such as #1f6feb",
      "branding.supportContact": "supportContact must be an e-mail address or an https URL",
      "branding.shopUrl": "shopUrl must be an absolute https URL",
      "branding.postalAddress": "postalAddress must be at most 300 characters",
      "branding.displayName": "displayName must be at most 80 characters",
      branding: 'Unrecognized key: "tagline"',
    });
  });

  it("accepts a support e-mail address or an https help page", () => {
    for (const supportContact of ["help@shop.example", "https://shop.example/help"]) {
      expect(parse({ supportContact }).ok).toBe(true);
    }
  });
});
