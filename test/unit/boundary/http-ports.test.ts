import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import { createDeps } from "../../../functions/http/app";
import type { HttpApiDeps } from "../../../functions/http/member-access";

// The HTTP API reaches the table only through ports (repositories and stores under functions/adapters, built
// once in createDeps): no route sends a DynamoDB command, builds an item or names the table. Type imports
// (a port's signature may mention an SDK type) are allowed; values — commands, clients, marshall — are not.

const root = join(import.meta.dirname, "..", "..", "..");
const HTTP_DIR = "functions/http";
const RAW_DYNAMO = /^@aws-sdk\/(client|lib|util)-dynamodb$/;

/** Where the source brings in a value (not only types) of a DynamoDB SDK package. */
function rawDynamoImports(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const report = (node: ts.Node) =>
    found.push(`${fileName}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`);
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typesOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.every((element) => element.isTypeOnly)));
      if (RAW_DYNAMO.test(node.moduleSpecifier.text) && !typesOnly) report(node);
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      if (RAW_DYNAMO.test(node.moduleSpecifier.text) && !node.isTypeOnly) report(node);
    } else if (
      ts.isCallExpression(node) &&
      (node.expression.kind === ts.SyntaxKind.ImportKeyword ||
        (ts.isIdentifier(node.expression) && node.expression.text === "require")) &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0]) &&
      RAW_DYNAMO.test(node.arguments[0].text)
    ) {
      report(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

// Compile-time half: `npm run typecheck` fails if HttpApiDeps regains a raw client or the table name.
type RawKeys =
  | Extract<keyof HttpApiDeps, "client" | "tableName">
  | {
      [K in keyof HttpApiDeps]-?: NonNullable<HttpApiDeps[K]> extends DynamoDBClient ? K : never;
    }[keyof HttpApiDeps];
const noRawKeys: [RawKeys] extends [never] ? true : false = true;

describe("HTTP API ports", () => {
  it("no file in functions/http imports a DynamoDB SDK value", () => {
    const files = readdirSync(join(root, HTTP_DIR), { withFileTypes: true, recursive: true })
      .filter((entry) => entry.isFile() && entry.name.endsWith(".ts"))
      .map((entry) => relative(root, join(entry.parentPath, entry.name)));
    expect(files.length).toBeGreaterThan(30);
    const offenders = files.flatMap((file) => rawDynamoImports(file, readFileSync(join(root, file), "utf8")));
    expect(offenders).toEqual([]);
  });

  it("would catch value imports, re-exports and dynamic imports, and lets type imports pass", () => {
    const flagged = [
      'import { GetItemCommand } from "@aws-sdk/client-dynamodb";',
      'import { type AttributeValue, QueryCommand } from "@aws-sdk/client-dynamodb";',
      'import * as ddb from "@aws-sdk/client-dynamodb";',
      'import { marshall } from "@aws-sdk/util-dynamodb";',
      'export { PutItemCommand } from "@aws-sdk/client-dynamodb";',
      'const sdk = await import("@aws-sdk/client-dynamodb");',
    ];
    for (const line of flagged) expect(rawDynamoImports("x.ts", line), line).toEqual(["x.ts:1"]);
    const allowed = [
      'import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";',
      'import { type AttributeValue, type DynamoDBClient } from "@aws-sdk/client-dynamodb";',
      'export type { AttributeValue } from "@aws-sdk/client-dynamodb";',
      'import { EventBridgeClient } from "@aws-sdk/client-eventbridge";',
    ];
    for (const line of allowed) expect(rawDynamoImports("x.ts", line), line).toEqual([]);
  });

  it("createDeps hands the routes ports, never the client or the table name", () => {
    const client = new DynamoDBClient({ region: "eu-west-1" });
    const tableName = "patron-ports-test";
    const deps = createDeps({ tableName, signingSecret: "s".repeat(32) }, client);
    expect(noRawKeys).toBe(true);
    expect(Object.keys(deps)).not.toContain("client");
    expect(Object.keys(deps)).not.toContain("tableName");
    for (const [key, value] of Object.entries(deps)) {
      expect(value, key).not.toBeInstanceOf(DynamoDBClient);
      expect(value, key).not.toBe(tableName);
    }
    client.destroy();
  });
});
