import { CfnOutput, Stack } from "aws-cdk-lib";
import type { EventBus } from "aws-cdk-lib/aws-events";
import {
  AccountPrincipal,
  ArnPrincipal,
  CompositePrincipal,
  type IPrincipal,
  PolicyStatement,
  Role,
} from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { PRODUCER_PRINCIPAL_TAG, type Producer } from "./config";
import { constructIdFor } from "./stateless";

export interface ProducerAccessProps {
  readonly bus: EventBus;
  readonly producers: readonly Producer[];
}

/**
 * One role per producer (POS, web shop, ...): PutEvents on Patron's bus only, with its own sources and
 * its granted detail types only, so a compromised till cannot impersonate another channel or Patron, nor
 * change members' profiles unless granted. Each role trusts only the principals its producer names (or,
 * naming none, this account's principals tagged `patron-producer=<name>`), and the bus's resource policy
 * names exactly these roles with the same conditions.
 */
export class ProducerAccess extends Construct {
  readonly roles: ReadonlyMap<string, Role>;

  constructor(scope: Construct, id: string, props: ProducerAccessProps) {
    super(scope, id);
    const roles = new Map<string, Role>();
    for (const producer of props.producers) {
      const constructId = constructIdFor(producer.name);
      const role = new Role(this, `${constructId}Role`, {
        assumedBy: this.trustOf(producer),
        description: `Lets the ${producer.name} producer put its events on the Patron bus`,
      });
      const statement = (principals?: IPrincipal[]) =>
        new PolicyStatement({
          ...(principals && { sid: `Producer${constructId}`, principals }),
          actions: ["events:PutEvents"],
          resources: [props.bus.eventBusArn],
          conditions: {
            StringLike: { "events:source": [...producer.sources] },
            StringEquals: { "events:detail-type": [...producer.detailTypes] },
          },
        });
      role.addToPrincipalPolicy(statement());
      props.bus.addToResourcePolicy(statement([new ArnPrincipal(role.roleArn)]));
      new CfnOutput(this, `${constructId}RoleArn`, {
        description: `Role the ${producer.name} producer assumes to send events`,
        value: role.roleArn,
      });
      roles.set(producer.name, role);
    }
    this.roles = roles;
  }

  private trustOf(producer: Producer): IPrincipal {
    const named: IPrincipal[] = [
      ...(producer.principalArns ?? []).map((arn) => new ArnPrincipal(arn)),
      ...(producer.accountIds ?? []).map((account) => new AccountPrincipal(account)),
    ];
    if (named.length === 0) {
      return new AccountPrincipal(Stack.of(this).account).withConditions({
        StringEquals: { [`aws:PrincipalTag/${PRODUCER_PRINCIPAL_TAG}`]: producer.name },
      });
    }
    return named.length === 1 ? (named[0] as IPrincipal) : new CompositePrincipal(...named);
  }
}
