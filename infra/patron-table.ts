import { RemovalPolicy } from "aws-cdk-lib";
import { AttributeType, BillingMode, ProjectionType, StreamViewType, Table } from "aws-cdk-lib/aws-dynamodb";
import type { Construct } from "constructs";
import { TABLE_DEFINITION } from "./table-definition";

export interface PatronTableProps {
  readonly tableName: string;
  /** Deletion protection on, and the table is retained if the stack goes. */
  readonly production: boolean;
}

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const;
const projectionTypes = {
  ALL: ProjectionType.ALL,
  KEYS_ONLY: ProjectionType.KEYS_ONLY,
  INCLUDE: ProjectionType.INCLUDE,
} as const;

function key(attribute: { readonly name: string; readonly type: keyof typeof attributeTypes }) {
  return { name: attribute.name, type: attributeTypes[attribute.type] };
}

/**
 * The single table, built from the same plain-data definition the local stack uses, so that
 * DynamoDB Local and AWS have the same keys, indexes, stream and TTL.
 */
export class PatronTable extends Table {
  readonly indexNames: readonly string[];

  constructor(scope: Construct, id: string, props: PatronTableProps) {
    super(scope, id, {
      tableName: props.tableName,
      partitionKey: key(TABLE_DEFINITION.partitionKey),
      sortKey: key(TABLE_DEFINITION.sortKey),
      billingMode: BillingMode[TABLE_DEFINITION.billingMode],
      stream: StreamViewType[TABLE_DEFINITION.streamViewType],
      timeToLiveAttribute: TABLE_DEFINITION.timeToLiveAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    });
    for (const index of TABLE_DEFINITION.globalSecondaryIndexes) {
      this.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: key(index.partitionKey),
        sortKey: key(index.sortKey),
        projectionType: projectionTypes[index.projectionType],
      });
    }
    this.indexNames = TABLE_DEFINITION.globalSecondaryIndexes.map((index) => index.indexName);
  }
}
