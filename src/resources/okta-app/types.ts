/** createOktaFederationApp's input and result types. */
import type { StepOptions, StepResultBase } from '../../core/step.js';
import type { IdpMetadata } from '../../saml/metadata.js';

/** Okta's group mapping: the SAML Role attribute derived from Okta group names (design §5.4). */
export interface OktaGroupMapping {
  /**
   * Okta's group filter, a regular expression in Okta's dialect with named captures
   * (`aws_(?{{accountid}}\d+)_(?{{role}}[a-zA-Z0-9+=,.@\-_]+)`).
   */
  groupFilter: string;
  /**
   * The Role attribute value built from the captures
   * (`arn:aws:iam::${accountid}:saml-provider/Okta_Connect_Admin,arn:aws:iam::${accountid}:role/${role}`).
   */
  roleValuePattern: string;
  /** Join the roles of every matching group into one sign-in choice. Default false. */
  joinAllRoles?: boolean;
}

/** Input of {@link createOktaFederationApp}. */
export interface OktaFederationAppInput extends StepOptions {
  /**
   * The app's label, 1–100 characters; the natural key: the step manages the one `amazon_aws` app with
   * exactly this label (Okta labels are not unique, so two apps with it are a conflict).
   */
  label: string;
  /**
   * The Default Relay State: where Okta sends the browser after sign-in, the Connect federation URL
   * `https://<region>.console.aws.amazon.com/connect/federate/<instance-id>[?destination=…]`. Build it
   * with `buildRelayState`. It is also the app's Login URL.
   */
  relayState: string;
  /** The AWS console session duration Okta asks for, in seconds, 900–43200. Default 3600. */
  sessionDuration?: number;
  /** The app's "AWS Environment". Default `aws.amazon` (commercial AWS). */
  awsEnvironmentType?: string;
  /**
   * Derive the SAML roles from Okta group names instead of the roles Okta imports through the API
   * integration (design §5.4). Absent: group mapping is turned off.
   */
  groupMapping?: OktaGroupMapping;
  /**
   * Manage an existing app with this label that this stack did not create (its admin notes lack our
   * marker): the marker is added and the app is configured like ours. Default false (a `ConflictError`).
   */
  adopt?: boolean;
}

/** The app's IdP metadata: the parsed form plus the XML it came from (what IAM's SAML provider takes). */
export type FederationAppMetadata = IdpMetadata & {
  /** The metadata document as Okta served it. */
  xml: string;
};

/** What {@link createOktaFederationApp} did (or, with `dryRun`, would do). */
export interface OktaFederationAppResult extends StepResultBase {
  /** The Okta app id (`0oa…`); undefined on a dry run that would create the app. */
  appId: string | undefined;
  /** The app's label: the input's `label`. */
  label: string;
  /** The app's status after the step (a dry run reports the status the run would leave). */
  status: 'ACTIVE' | 'INACTIVE';
  /** The kid of the app's current signing key (`credentials.signing.kid`); undefined when not yet created. */
  signingKid: string | undefined;
  /** The IdP metadata XML for the current signing key; undefined when the app does not exist yet. */
  metadataXml: string | undefined;
  /** The parsed IdP metadata (with its XML); pass it to `linkIdentityProvider`. Undefined when not yet created. */
  metadata: FederationAppMetadata | undefined;
  /** The relay state the app is configured with. */
  relayState: string;
  /** The app's sign-in link (IdP-initiated flow): what users click; undefined when not yet created. */
  signInUrl: string | undefined;
  /** The app's `features` (`PUSH_NEW_USERS` appears once the API integration is enabled in the console). */
  features: string[];
}
