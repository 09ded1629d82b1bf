/**
 * The public shapes of the sign-in simulation (`sb.login`).
 */

/** The stage of the flow where a sign-in failed. */
export type SignInStage = 'okta' | 'signature' | 'saml' | 'trust' | 'policy' | 'connect';

/** Input of `sb.login`. */
export interface SignInInput {
  /**
   * The Okta app: its id (`0oa…`), its exact label, or its kind — `'admin'`, `'ccp'` or
   * `'agent-workspace'`, as in the library's config — when exactly one `amazon_aws` app of the sandbox
   * has that kind's default label (`Amazon Connect Administrator`, `Amazon Connect CCP`, `Amazon Connect
   * Agent Workspace`) or, failing that, exactly one app's relay state leads there. An ambiguous kind is a
   * `TypeError` naming the candidates; pass the label or id then.
   */
  app: string;
  /** The Okta user's login (case-insensitive, as Okta's sign-in page). */
  login: string;
  /** The relay state Okta posts; default the app's `settings.signOn.defaultRelayState`. */
  relayState?: string;
  /**
   * When AWS sign-in receives the response, epoch ms (default the sandbox clock). Okta issues the
   * response at the sandbox clock, so a later `at` ages it (past its `NotOnOrAfter` it has expired).
   */
  at?: number;
  /**
   * The role to choose on AWS's role picker when Okta sends several: a role ARN or name. Default the
   * first Role value.
   */
  role?: string;
}

/** A successful sign-in: the Connect user the session federates to, and where the browser lands. */
export interface SignInSuccess {
  /** Always `true`: tells a success from a {@link SignInFailure}. */
  ok: true;
  /** The Connect user the session federates to. */
  connectUser: {
    /** The Connect user id. */
    id: string;
    /** The Connect username: exactly the RoleSessionName. */
    username: string;
  };
  /** The relay state AWS sign-in redirected to (a Connect federate URL). */
  relayState: string;
  /** The relay state's `destination` (`/ccp-v2`…), undefined for the admin website. */
  destination: string | undefined;
  /** What `connect:GetFederationToken` returned for the session. */
  federation: {
    /** The Connect sign-in URL handed to the browser (`https://<alias>.my.connect.aws/auth/sign-in`). */
    signInUrl: string;
  };
  /** The ARN of the role assumed. */
  roleArn: string;
  /** The session name: the SAML `RoleSessionName` attribute (the Okta app username). */
  roleSessionName: string;
}

/** A failed sign-in. */
export interface SignInFailure {
  /** Always `false`: tells a failure from a {@link SignInSuccess}. */
  ok: false;
  /**
   * Where the flow broke:
   * - `okta`: Okta would not issue a response (unknown app or user, user not assigned…);
   * - `signature`: the response does not verify against the IAM provider's metadata;
   * - `saml`: another check of the response failed, or the SAML provider it names does not exist;
   * - `trust`: the role is missing, or its trust policy refuses the provider;
   * - `policy`: the role may not call `connect:GetFederationToken`;
   * - `connect`: the relay state is not a Connect federate URL, or the instance or the Connect user is
   *   missing.
   */
  stage: SignInStage;
  /** What the user sees on the page (Okta's, AWS sign-in's or Connect's). */
  message: string;
  /** For the developer: which link broke and what to change. */
  detail: string;
}

/** What `sb.login` resolves to: check `ok` to tell which. */
export type SignInResult = SignInSuccess | SignInFailure;
