import { describe, expect, it } from "vitest";
import { jvmThreadKind } from "../../../scripts/bench/jvm-threads";

describe("DynamoDB Local's threads by kind", () => {
  it("tells Jetty's request threads, the SQLite queue, the JIT compilers and GC apart (names as /proc shows them)", () => {
    expect(jvmThreadKind("qtp1147985808-27")).toBe("requests");
    expect(jvmThreadKind("SQLiteQueue[in-memory]")).toBe("SQLite");
    expect(jvmThreadKind("C1 CompilerThre")).toBe("JIT");
    expect(jvmThreadKind("C2 CompilerThre")).toBe("JIT");
    expect(jvmThreadKind("GC Thread#0")).toBe("GC");
    expect(jvmThreadKind("G1 Refine#0")).toBe("GC");
    expect(jvmThreadKind("VM Periodic Tas")).toBe("other");
  });
});
