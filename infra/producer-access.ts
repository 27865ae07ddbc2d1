import { ArnFormat, CfnOutput, Stack } from "aws-cdk-lib";
import type { EventBus } from "aws-cdk-lib/aws-events";
import {
  AccountPrincipal,
  AnyPrincipal,
  ArnPrincipal,
  CompositePrincipal,
  Effect,
  type IPrincipal,
  PolicyStatement,
  Role,
} from "aws-cdk-lib/aws-iam";
import { Construct } from "constructs";
import { PRODUCER_SOURCE_PREFIX } from "../events/sources";
import { type Producer, producerRolePath } from "./config";
import { constructIdFor } from "./stateless";

export interface ProducerAccessProps {
  readonly bus: EventBus;
  readonly producers: readonly Producer[];
}

/**
 * One role per producer (POS, web shop, ...): PutEvents on Patron's bus only, with its own sources and
 * its granted detail types only, so a compromised till cannot impersonate another channel or Patron, nor
 * change members' profiles unless granted. Each role trusts only the principals its producer names (or,
 * naming none, this account's roles under the IAM path `/patron-producer/<name>/`), and the bus's resource
 * policy allows exactly these roles with the same conditions and denies every other principal the producers'
 * `retail.*` sources, whatever its own IAM policies allow (Patron's functions put source `patron` only).
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
    // Within this account an identity policy alone (events:PutEvents on *) would let any principal put
    // producer events; an explicit Deny in the bus policy overrides it.
    props.bus.addToResourcePolicy(
      new PolicyStatement({
        sid: "OnlyProducerRolesPutProducerSources",
        effect: Effect.DENY,
        principals: [new AnyPrincipal()],
        actions: ["events:PutEvents"],
        resources: [props.bus.eventBusArn],
        conditions: {
          StringLike: { "events:source": [`${PRODUCER_SOURCE_PREFIX}*`] },
          ArnNotEquals: { "aws:PrincipalArn": [...roles.values()].map((role) => role.roleArn) },
        },
      }),
    );
  }

  private trustOf(producer: Producer): IPrincipal {
    const named: IPrincipal[] = [
      ...(producer.principalArns ?? []).map((arn) => new ArnPrincipal(arn)),
      ...(producer.accountIds ?? []).map((account) => new AccountPrincipal(account)),
    ];
    // Not a principal tag: a session tag (sts:TagSession, an IdP attribute) could forge one, a role's path not.
    if (named.length === 0) {
      const stack = Stack.of(this);
      const rolesUnderPath = stack.formatArn({
        service: "iam",
        region: "",
        resource: "role",
        resourceName: `${producerRolePath(producer.name).slice(1)}*`,
        arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
      });
      return new AccountPrincipal(stack.account).withConditions({
        ArnLike: { "aws:PrincipalArn": rolesUnderPath },
      });
    }
    return named.length === 1 ? (named[0] as IPrincipal) : new CompositePrincipal(...named);
  }
}
