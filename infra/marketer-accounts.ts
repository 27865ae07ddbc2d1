import { Duration, type RemovalPolicy, Stack, Validations } from "aws-cdk-lib";
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  UserPool,
  type UserPoolDomain,
  UserPoolGroup,
} from "aws-cdk-lib/aws-cognito";
import { Construct } from "constructs";

/** Groups of the marketer pool; the HTTP API checks them in the token's `cognito:groups`. */
export const MARKETER_GROUPS = {
  marketers: "marketers",
  /** Marketers who may also read the audit trail (GET /audit); they are in `marketers` too. */
  auditor: "auditor",
} as const;

export interface MarketerAccountsProps {
  readonly envName: string;
  readonly production: boolean;
  readonly removalPolicy: RemovalPolicy;
}

/**
 * Staff identities, apart from the members' pool: Cognito sets MFA per user pool, and members (self sign-up)
 * must be able to enrol without an authenticator app, while every marketer must have one. So marketers have a
 * pool of their own: accounts created by an administrator only (no self sign-up), TOTP required at every
 * sign-in (no SMS), stricter passwords, and its own Hosted UI domain for the console. The HTTP API's private
 * routes other than the member routes (`$default`) accept this pool's tokens only: the console's, and the
 * producers' machine clients (client credentials), which live here too.
 */
export class MarketerAccounts extends Construct {
  readonly userPool: UserPool;
  /** The Hosted UI marketers sign in on (the console's authorization code flow). */
  readonly hostedUi: UserPoolDomain;

  constructor(scope: Construct, id: string, props: MarketerAccountsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.userPool = new UserPool(this, "UserPool", {
      userPoolName: `patron-${props.envName}-marketers`,
      selfSignUpEnabled: false,
      signInAliases: { email: true },
      autoVerify: { email: true },
      standardAttributes: { email: { required: true, mutable: true } },
      passwordPolicy: {
        minLength: 14,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: Mfa.REQUIRED,
      mfaSecondFactor: { otp: true, sms: false },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      userInvitation: {
        emailSubject: `Your Patron ${props.envName} console account`,
        emailBody:
          "An administrator created a Patron console account for you. User name: {username}; temporary password: {####}. " +
          "Sign in at the console within 3 days; you will set a new password and register an authenticator app (TOTP).",
      },
      featurePlan: FeaturePlan.ESSENTIALS,
      deletionProtection: props.production,
      removalPolicy: props.removalPolicy,
    });
    Validations.of(this.userPool).acknowledge({
      id: "AwsSolutions-COG8",
      reason:
        "Threat protection needs the Cognito Plus plan, billed per monthly active user; Essentials covers admin-created accounts with required TOTP MFA. Switch featurePlan to PLUS to add it.",
    });
    new UserPoolGroup(this, "MarketersGroup", {
      userPool: this.userPool,
      groupName: MARKETER_GROUPS.marketers,
      description: "Staff who run the programme: members, analytics, offers and adjustments",
      precedence: 0,
    });
    new UserPoolGroup(this, "AuditorGroup", {
      userPool: this.userPool,
      groupName: MARKETER_GROUPS.auditor,
      description: "Marketers who may read the audit trail of PII reads and adjustments (GET /audit)",
      precedence: 1,
    });
    // A Cognito domain prefix must be unique in the region across all accounts, hence the account id.
    this.hostedUi = this.userPool.addDomain("HostedUi", {
      cognitoDomain: { domainPrefix: `patron-${props.envName}-console-${stack.account}` },
    });
  }
}
