import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CfnRegistry, CfnSchema } from "aws-cdk-lib/aws-eventschemas";
import { Construct } from "constructs";
import { detailTypeSlug, type EventDefinition, schemaFilePath } from "../events/catalog";
import { DRAFT4_URI, type JsonObject, toDraft4 } from "./json-schema-draft4";
import { repoRoot } from "./patron-function";

/**
 * The full EventBridge event a producer sends, as JSON Schema Draft 4: envelope fields plus the
 * detail schema from events/schemas/ (converted from draft 2020-12).
 */
export function registrySchema(definition: EventDefinition): JsonObject {
  const path = join(repoRoot, schemaFilePath(definition));
  let detail: JsonObject;
  try {
    detail = JSON.parse(readFileSync(path, "utf8")) as JsonObject;
  } catch (error) {
    throw new Error(
      `Schema registry: cannot read ${path} (run \`npm run schemas\`): ${(error as Error).message}`,
    );
  }
  const { $schema: _schema, $id: _id, title, description, ...detailBody } = detail;
  return toDraft4({
    $schema: DRAFT4_URI,
    title: title ?? definition.detailType,
    description: description ?? definition.description,
    type: "object",
    required: ["source", "detail-type", "detail"],
    properties: {
      source: { type: "string", pattern: sourcePattern(definition.source) },
      "detail-type": { type: "string", const: definition.detailType },
      detail: detailBody,
    },
  });
}

/** "retail.*" -> ^retail\..+$ ; "patron" -> ^patron$ */
function sourcePattern(source: string): string {
  const escaped = source.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
  return `^${escaped.replace(/\*/g, ".+")}$`;
}

export interface SchemaRegistryProps {
  readonly registryName: string;
  readonly events: readonly EventDefinition[];
}

/** Publishes the inbound contracts so producers can browse them and download code bindings. */
export class PatronSchemaRegistry extends Construct {
  readonly registry: CfnRegistry;

  constructor(scope: Construct, id: string, props: SchemaRegistryProps) {
    super(scope, id);
    this.registry = new CfnRegistry(this, "Registry", {
      registryName: props.registryName,
      description: "Patron inbound event contracts (JSON Schema Draft 4 of the full EventBridge event)",
    });
    for (const definition of props.events) {
      // AWS's own naming style, e.g. "retail@PurchaseCompleted.v1".
      const name = `${definition.source.split(".")[0]}@${definition.detailType.replace(/\s+/g, "")}.v${definition.version}`;
      new CfnSchema(this, detailTypeSlug(definition.detailType), {
        registryName: this.registry.attrRegistryName,
        schemaName: name,
        type: "JSONSchemaDraft4",
        description: definition.description,
        content: JSON.stringify(registrySchema(definition)),
      });
    }
  }
}
