import { App, Duration, RemovalPolicy, Stack } from "aws-cdk-lib";
import { RetentionDays } from "aws-cdk-lib/aws-logs";
import { describe, expect, it } from "vitest";
import { consumerRules } from "../../events/rules";
import { DEFAULT_PRODUCER_DETAIL_TYPES, parseEnvName, parseProducers, parseSender } from "../../infra/config";
import { functionSpecs } from "../../infra/function-specs";
import { PatronFunction } from "../../infra/patron-function";
import { PatronStack, type PatronStackProps } from "../../infra/patron-stack";
import { cdkContext, fixtureEntry, TEST_ENV } from "./synth-patron";

const validProps: PatronStackProps = {
  envName: "dev",
  sender: "loyalty@shop.example",
  entryOverride: fixtureEntry,
  env: TEST_ENV,
};

const build = (props: Partial<PatronStackProps>) => () =>
  new PatronStack(new App({ context: cdkContext }), "Patron-misuse", { ...validProps, ...props });

describe("PatronStack misuse fails with a clear error", () => {
  it("without a sender", () => {
    expect(build({ sender: undefined as unknown as string })).toThrow(/sender is required: pass -c sender=/);
    expect(build({ sender: "  " })).toThrow(/sender is required/);
  });

  it("with a sender that is neither an e-mail address nor a domain", () => {
    expect(build({ sender: "loyalty@" })).toThrow(/sender: "loyalty@" is not a valid e-mail address/);
    expect(build({ sender: "not a domain" })).toThrow(/neither an e-mail address nor a domain name/);
  });

  it("in prod without the web app's sign-in URLs, or with an http one", () => {
    expect(build({ envName: "prod" })).toThrow(/signInUrls are required in prod: pass -c callbackUrls=/);
    const urls = { callbackUrls: ["http://shop.example/cb"], logoutUrls: ["https://shop.example/"] };
    expect(build({ envName: "prod", signInUrls: urls })).toThrow(
      /callbackUrls: "http:\/\/shop.example\/cb" must be an https URL/,
    );
  });

  it("with a bad environment name", () => {
    expect(build({ envName: "Prod!" })).toThrow(/env: expected a short lowercase name/);
  });

  it("with a producer that could claim Patron's own or every producer's source", () => {
    expect(build({ producers: [{ name: "pos", sources: ["patron"] }] })).toThrow(
      /"patron" must start with "retail\./,
    );
    expect(build({ producers: [{ name: "pos", sources: ["retail.*"] }] })).toThrow(
      /may not claim every source/,
    );
  });

  it("with a rule whose consumer has no function", () => {
    const specs = functionSpecs.filter((spec) => spec.name !== "purchase-completed");
    expect(build({ functionSpecs: specs })).toThrow(
      /Rule "purchase-completed" targets consumer "purchase-completed", which has no function spec/,
    );
  });

  it("with a consumer function that no rule targets", () => {
    const rules = consumerRules.filter((rule) => rule.consumer !== "member-updated");
    expect(build({ consumerRules: rules })).toThrow(
      /Function "member-updated" has trigger "consumer-rule" but no rule/,
    );
  });

  it("without exactly one HTTP API function", () => {
    const specs = functionSpecs.filter((spec) => spec.trigger.kind !== "http-api");
    expect(build({ functionSpecs: specs })).toThrow(
      /exactly one function spec must have trigger "http-api", found 0/,
    );
  });

  it("with a handler entry that does not exist", () => {
    const stack = new Stack(new App({ context: cdkContext }), "Entry");
    expect(
      () =>
        new PatronFunction(stack, "Fn", {
          name: "nope",
          entry: "/nonexistent/nope.ts",
          description: "missing",
          logRetention: RetentionDays.ONE_DAY,
          logRemovalPolicy: RemovalPolicy.DESTROY,
          timeout: Duration.seconds(3),
        }),
    ).toThrow(/PatronFunction "nope": entry file \/nonexistent\/nope.ts does not exist/);
  });
});

describe("context parsing", () => {
  it("reads e-mail and domain senders", () => {
    expect(parseSender("Loyalty@Shop.example")).toEqual({
      identity: "Loyalty@Shop.example",
      kind: "email",
      address: "Loyalty@Shop.example",
    });
    expect(parseSender("Shop.Example")).toEqual({
      identity: "shop.example",
      kind: "domain",
      address: "loyalty@shop.example",
    });
  });

  it("accepts producers as an array or as JSON from -c, and rejects malformed ones by field", () => {
    const producers = [{ name: "pos", sources: ["retail.pos.*"], accountIds: ["111111111111"] }];
    const parsed = [{ ...producers[0], detailTypes: DEFAULT_PRODUCER_DETAIL_TYPES, refundAuthority: false }];
    expect(parseProducers(JSON.stringify(producers))).toEqual(parsed);
    expect(parseProducers(producers)).toEqual(parsed);
    expect(() =>
      parseProducers([{ name: "pos", sources: ["retail.pos.*"], detailTypes: ["Points Earned"] }]),
    ).toThrow(/producers\[0\]\.detailTypes: "Points Earned" is not an inbound detail type/);
    expect(() => parseProducers([{ name: "pos", sources: ["retail.pos.*"], principalArns: ["*"] }])).toThrow(
      /producers\[0\]\.principalArns: expected IAM role or user ARNs/,
    );
    expect(() =>
      parseProducers([{ name: "pos", sources: ["retail.pos.*"], refundAuthority: "yes" }]),
    ).toThrow(/producers\[0\]\.refundAuthority: expected true or false/);
    expect(() => parseProducers("[{")).toThrow(/producers: not valid JSON/);
    expect(() => parseProducers([])).toThrow(/non-empty array/);
    expect(() => parseProducers([{ name: "POS", sources: ["retail.pos.*"] }])).toThrow(
      /producers\[0\]\.name/,
    );
    expect(() => parseProducers([{ name: "pos", sources: ["retail.pos.*"], accountIds: ["123"] }])).toThrow(
      /producers\[0\]\.accountIds: expected 12-digit/,
    );
    expect(() =>
      parseProducers([
        { name: "pos", sources: ["retail.pos.*"] },
        { name: "pos", sources: ["retail.web.*"] },
      ]),
    ).toThrow(/name "pos" is used twice/);
  });

  it("accepts short lowercase environment names only", () => {
    expect(parseEnvName("prod")).toBe("prod");
    expect(() => parseEnvName(undefined)).toThrow(/env: expected/);
    expect(() => parseEnvName("a-very-long-environment-name")).toThrow(/at most 16/);
  });
});
