import { CfnOutput, Stack } from "aws-cdk-lib";
import type { IEventBus } from "aws-cdk-lib/aws-events";
import {
  AccountPrincipal,
  CompositePrincipal,
  type IPrincipal,
  PolicyStatement,
  Role,
} from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import type { Producer } from "./config";
import { constructIdFor } from "./stateless";

export interface ProducerAccessProps {
  readonly bus: IEventBus;
  readonly producers: readonly Producer[];
  /** Detail types producers may send (the inbound contracts). */
  readonly detailTypes: readonly string[];
}

/**
 * One role per producer (POS, web shop, ...): PutEvents on Patron's bus only, with its own sources
 * only and inbound detail types only, so a compromised till cannot impersonate another channel or
 * Patron itself.
 */
export class ProducerAccess extends Construct {
  readonly roles: ReadonlyMap<string, Role>;

  constructor(scope: Construct, id: string, props: ProducerAccessProps) {
    super(scope, id);
    const roles = new Map<string, Role>();
    for (const producer of props.producers) {
      const accounts = producer.accountIds ?? [Stack.of(this).account];
      const principals: IPrincipal[] = accounts.map((account) => new AccountPrincipal(account));
      const role = new Role(this, `${constructIdFor(producer.name)}Role`, {
        assumedBy:
          principals.length === 1 ? (principals[0] as IPrincipal) : new CompositePrincipal(...principals),
        description: `Lets the ${producer.name} producer put its events on the Patron bus`,
      });
      role.addToPrincipalPolicy(
        new PolicyStatement({
          actions: ["events:PutEvents"],
          resources: [props.bus.eventBusArn],
          conditions: {
            StringLike: { "events:source": [...producer.sources] },
            StringEquals: { "events:detail-type": [...props.detailTypes] },
          },
        }),
      );
      new CfnOutput(this, `${constructIdFor(producer.name)}RoleArn`, {
        description: `Role the ${producer.name} producer assumes to send events`,
        value: role.roleArn,
      });
      roles.set(producer.name, role);
    }
    this.roles = roles;
  }
}
