import { Duration } from "aws-cdk-lib";
import {
  OAuthScope,
  ResourceServerScope,
  type UserPool,
  type UserPoolClient,
  UserPoolResourceServer,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

// Machine clients for producers' services (tills, web shops) that call the HTTP API themselves, e.g.
// `POST /offers/validate` at the checkout. They use the OAuth client-credentials grant: no user, a secret held
// by the producer, and an access token carrying the scope `patron/producer` (functions/http/principal.ts).

export const PRODUCER_RESOURCE_SERVER = "patron";
export const PRODUCER_SCOPE_NAME = "producer";

export class ProducerClients extends Construct {
  /** The client the producers' services authenticate with (its secret is read in the Cognito console). */
  readonly client: UserPoolClient;

  constructor(scope: Construct, id: string, props: { userPool: UserPool }) {
    super(scope, id);
    const producerScope = new ResourceServerScope({
      scopeName: PRODUCER_SCOPE_NAME,
      scopeDescription: "Producer services: validate offer codes at the checkout",
    });
    const server = new UserPoolResourceServer(this, "ResourceServer", {
      userPool: props.userPool,
      identifier: PRODUCER_RESOURCE_SERVER,
      scopes: [producerScope],
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
  }
}
