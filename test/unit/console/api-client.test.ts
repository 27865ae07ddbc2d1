import { describe, expect, it } from "vitest";
import { ApiError, unwrap } from "../../../console/src/api/client";

// A failed request becomes an ApiError carrying the API's problem document (the generated Problem type), and
// API Gateway's own answers ({ message }), which are no problem documents, are made into one.

const response = (status: number, statusText: string) => new Response(null, { status, statusText });

function thrownBy(run: () => unknown): ApiError {
  try {
    run();
  } catch (error) {
    if (error instanceof ApiError) return error;
    throw error;
  }
  throw new Error("nothing was thrown");
}

describe("unwrap", () => {
  it("answers the body of a successful answer", () => {
    expect(unwrap({ data: { version: 3 }, response: response(200, "OK") })).toEqual({ version: 3 });
  });

  it("keeps the API's problem document, field errors included", () => {
    const problem = {
      type: "urn:patron:problem:validation-error",
      title: "Invalid request",
      status: 400,
      detail: "1 field is invalid",
      instance: "req-1",
      errors: [{ path: "tiers[1].threshold", message: "threshold must not be negative" }],
    };
    const error = thrownBy(() => unwrap({ error: problem, response: response(400, "Bad Request") }));
    expect(error.problem).toEqual(problem);
    expect(error.message).toBe("1 field is invalid");
  });

  it("makes API Gateway's own answer into a problem with its words as the detail", () => {
    const error = thrownBy(() =>
      unwrap({ error: { message: "Unauthorized" }, response: response(401, "Unauthorized") }),
    );
    expect(error.problem).toEqual({
      type: "about:blank",
      title: "Unauthorized",
      status: 401,
      detail: "Unauthorized",
    });
  });

  it("names the HTTP status when the answer has no body", () => {
    const error = thrownBy(() => unwrap({ response: response(502, "Bad Gateway") }));
    expect(error.problem).toEqual({ type: "about:blank", title: "Bad Gateway", status: 502, detail: "" });
    expect(error.message).toBe("Bad Gateway");
  });
});
