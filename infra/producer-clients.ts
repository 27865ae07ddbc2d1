import { Duration } from "aws-cdk-lib";
import {
  OAuthScope,
  ResourceServerScope,
  type UserPool,
  type UserPoolClient,
  UserPoolResourceServer,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";
import { constructIdFor } from "./stateless";

// Machine clients for producers' services (tills, web shops) that call the HTTP API themselves, e.g.
// `POST /offers/validate` at the checkout. They use the OAuth client-credentials grant: no user, a secret held
// by the producer, and an access token carrying the scope `patron/producer` (functions/http/principal.ts).
// Each coalition partner gets a client of its own whose only scope is `patron/partner.<id>`: it reads that
// partner's statement (GET /partners/<id>/statement) and nothing else.

export const PRODUCER_RESOURCE_SERVER = "patron";
export const PRODUCER_SCOPE_NAME = "producer";
export const partnerScopeName = (partnerId: string): string => `partner.${partnerId}`;

export class ProducerClients extends Construct {
  /** The client the producers' services authenticate with (its secret is read in the Cognito console). */
  readonly client: UserPoolClient;
  /** One client per partner, by partner id. */
  readonly partnerClients: ReadonlyMap<string, UserPoolClient>;

  constructor(scope: Construct, id: string, props: { userPool: UserPool; partners?: readonly string[] }) {
    super(scope, id);
    const producerScope = new ResourceServerScope({
      scopeName: PRODUCER_SCOPE_NAME,
      scopeDescription: "Producer services: validate offer codes at the checkout",
    });
    const partnerScopes = (props.partners ?? []).map(
      (partner) =>
        [
          partner,
          new ResourceServerScope({
            scopeName: partnerScopeName(partner),
            scopeDescription: `Partner ${partner}: its own monthly statement`,
          }),
        ] as const,
    );
    const server = new UserPoolResourceServer(this, "ResourceServer", {
      userPool: props.userPool,
      identifier: PRODUCER_RESOURCE_SERVER,
      scopes: [producerScope, ...partnerScopes.map(([, partnerScope]) => partnerScope)],
    });
    this.client = props.userPool.addClient("ProducerServiceClient", {
      generateSecret: true,
      authFlows: {},
      oAuth: {
        flows: { clientCredentials: true },
        scopes: [OAuthScope.resourceServer(server, producerScope)],
      },
      accessTokenValidity: Duration.minutes(60),
      enableTokenRevocation: true,
    });
    this.partnerClients = new Map(
      partnerScopes.map(([partner, partnerScope]) => [
        partner,
        props.userPool.addClient(`Partner${constructIdFor(partner)}Client`, {
          generateSecret: true,
          authFlows: {},
          oAuth: {
            flows: { clientCredentials: true },
            scopes: [OAuthScope.resourceServer(server, partnerScope)],
          },
          accessTokenValidity: Duration.minutes(60),
          enableTokenRevocation: true,
        }),
      ]),
    );
  }
}
