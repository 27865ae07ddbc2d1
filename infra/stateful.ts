import { CfnOutput, Duration, RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  OAuthScope,
  UserPool,
  type UserPoolClient,
  type UserPoolDomain,
  UserPoolGroup,
} from "aws-cdk-lib/aws-cognito";
import { EventBus, type IEventBus } from "aws-cdk-lib/aws-events";
import { Secret } from "aws-cdk-lib/aws-secretsmanager";
import {
  ConfigurationSet,
  ConfigurationSetTlsPolicy,
  EmailIdentity,
  EmailSendingEvent,
  EventDestination,
  Identity,
  SuppressionReasons,
} from "aws-cdk-lib/aws-ses";
import { Construct } from "constructs";
import type { Sender, SignInUrls } from "./config";
import { defaultDataRetention } from "./data-retention";
import type { EmailSending } from "./grants";
import { MarketerAccounts } from "./marketer-accounts";
import { PatronTable } from "./patron-table";

export interface StatefulProps {
  readonly envName: string;
  readonly production: boolean;
  readonly sender: Sender;
  readonly signInUrls: SignInUrls;
  /** Days the bus archive keeps events (infra/data-retention.ts); default by environment. */
  readonly archiveRetentionDays?: number;
}

/** SES publishes these to the default bus; ses-feedback consumes them. */
export const sesFeedbackEvents = [
  EmailSendingEvent.BOUNCE,
  EmailSendingEvent.COMPLAINT,
  EmailSendingEvent.REJECT,
];

/** Everything that holds data or identity and must outlive code deployments. */
export class Stateful extends Construct {
  readonly table: PatronTable;
  readonly bus: EventBus;
  /** SES can only publish sending events to the account's default bus. */
  readonly defaultBus: IEventBus;
  readonly configurationSet: ConfigurationSet;
  readonly email: EmailSending;
  /** Members' identities (self sign-up, optional MFA) and the web app's client. */
  readonly userPool: UserPool;
  readonly userPoolClient: UserPoolClient;
  /** Marketers' identities in a pool of their own (admin-created, TOTP MFA required): see marketer-accounts.ts. */
  readonly marketers: MarketerAccounts;
  /** The Hosted UI: Cognito's sign-in pages and OAuth endpoints for the app clients. */
  readonly hostedUi: UserPoolDomain;
  /** HMAC key for unsubscribe links, ledger cursors and voucher codes, shared by API and mailers. */
  readonly signingSecret: Secret;

  constructor(scope: Construct, id: string, props: StatefulProps) {
    super(scope, id);
    const removalPolicy = props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;
    const stack = Stack.of(this);

    this.table = new PatronTable(this, "Table", {
      tableName: `patron-${props.envName}`,
      production: props.production,
    });

    this.bus = new EventBus(this, "Bus", { eventBusName: `patron-${props.envName}` });
    this.bus.archive("Archive", {
      archiveName: `patron-${props.envName}`,
      description: "Every event on the Patron bus, for replay after a fix",
      eventPattern: { account: [stack.account] },
      // Events carry PII (Member Enrolled): the archive's retention bounds how long an erased member's stay.
      retention: Duration.days(
        props.archiveRetentionDays ?? defaultDataRetention(props.production).archiveDays,
      ),
    });

    this.configurationSet = new ConfigurationSet(this, "ConfigurationSet", {
      configurationSetName: `patron-${props.envName}`,
      suppressionReasons: SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      tlsPolicy: ConfigurationSetTlsPolicy.REQUIRE,
      reputationMetrics: true,
      sendingEnabled: true,
    });
    this.defaultBus = EventBus.fromEventBusName(this, "DefaultBus", "default");
    this.configurationSet.addEventDestination("Feedback", {
      destination: EventDestination.eventBus(this.defaultBus),
      events: sesFeedbackEvents,
    });
    const identity = new EmailIdentity(this, "Identity", {
      identity:
        props.sender.kind === "domain"
          ? Identity.domain(props.sender.identity)
          : Identity.email(props.sender.identity),
      configurationSet: this.configurationSet,
    });
    this.email = {
      identityArn: identity.emailIdentityArn,
      configurationSetName: this.configurationSet.configurationSetName,
      configurationSetArn: stack.formatArn({
        service: "ses",
        resource: "configuration-set",
        resourceName: this.configurationSet.configurationSetName,
      }),
      senderAddress: props.sender.address,
    };
    if (props.sender.kind === "domain") {
      identity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          description: `DKIM CNAME to add in ${props.sender.identity}'s DNS`,
          value: `${record.name} CNAME ${record.value}`,
        });
      });
    }

    this.signingSecret = new Secret(this, "SigningSecret", {
      description: "Patron HMAC key for unsubscribe links, ledger cursors and voucher codes",
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
      removalPolicy,
    });
    Validations.of(this.signingSecret).acknowledge({
      id: "AwsSolutions-SMG4",
      reason:
        "Rotating the HMAC key would invalidate every unsubscribe link already mailed (they stay valid 400 days); rotate by hand with a key-overlap release.",
    });

    this.userPool = new UserPool(this, "UserPool", {
      userPoolName: `patron-${props.envName}`,
      selfSignUpEnabled: true,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
      },
      mfa: Mfa.OPTIONAL,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: props.production,
      removalPolicy,
    });
    Validations.of(this.userPool).acknowledge(
      {
        id: "AwsSolutions-COG2",
        reason:
          "Members are shoppers enrolling from a receipt or the web shop; mandatory MFA would block enrolment, so TOTP MFA is offered, not required. Marketers sign in to a separate pool that requires it (marketer-accounts.ts).",
      },
      {
        id: "AwsSolutions-COG8",
        reason:
          "Threat protection needs the Cognito Plus plan, billed per monthly active user; Essentials covers sign-up, sign-in and MFA. Switch featurePlan to PLUS to add it.",
      },
    );
    new UserPoolGroup(this, "MembersGroup", {
      userPool: this.userPool,
      groupName: "members",
      description: "Loyalty members: their own balance, ledger, offers and preferences",
    });
    this.marketers = new MarketerAccounts(this, "Marketers", {
      envName: props.envName,
      production: props.production,
      removalPolicy,
    });
    // A Cognito domain prefix must be unique in the region across all accounts, hence the account id.
    this.hostedUi = this.userPool.addDomain("HostedUi", {
      cognitoDomain: { domainPrefix: `patron-${props.envName}-${stack.account}` },
    });
    this.userPoolClient = this.userPool.addClient("WebClient", {
      authFlows: { userSrp: true },
      // A public client (no secret): the Hosted UI's authorization code flow with PKCE, never the implicit flow.
      oAuth: {
        flows: { authorizationCodeGrant: true, implicitCodeGrant: false },
        scopes: [OAuthScope.OPENID, OAuthScope.EMAIL, OAuthScope.PROFILE],
        callbackUrls: [...props.signInUrls.callbackUrls],
        logoutUrls: [...props.signInUrls.logoutUrls],
      },
      generateSecret: false,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      accessTokenValidity: Duration.minutes(60),
      idTokenValidity: Duration.minutes(60),
      refreshTokenValidity: Duration.days(30),
    });
  }
}
