/**
 * connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML 2.0 identity provider.
 *
 * Each step of the AWS guide is one typed, idempotent function that takes a context
 * ({@link createContext}) and its input; the sandbox that emulates AWS and Okta is
 * `connect-okta-sso/sandbox`.
 * @packageDocumentation
 */

export type {
  ConnectInstanceStatus,
  InstanceWaitOptions,
  SamlInstanceInput,
  SamlInstanceResult,
} from './aws/connect-instance.js';
export { createSamlInstance } from './aws/connect-instance.js';
export type { ConnectPhoneType } from './aws/connect-users.js';
export type {
  AccessKeyDelivery,
  AccessKeyPolicy,
  AccessKeySummary,
  ExistingAccessKey,
  NewAccessKey,
  OktaApiUserInput,
  OktaApiUserResult,
} from './aws/iam-api-user.js';
export { createOktaApiUser, KEY_DELIVERED_TAG_PREFIX, markAccessKeyDelivered } from './aws/iam-api-user.js';
export type {
  FederationPolicyInput,
  ManagedPolicyOptions,
  ManagedPolicyResult,
  OktaAccessPolicyInput,
  PolicyDocument,
  PolicyStatement,
} from './aws/iam-policies.js';
export {
  createFederationPolicy,
  createOktaAccessPolicy,
  federationPolicyDocument,
  oktaAccessPolicyDocument,
} from './aws/iam-policies.js';
export type { LinkIdentityProviderInput, LinkIdentityProviderResult } from './aws/identity-provider.js';
export { linkIdentityProvider, samlAudiences, samlTrustPolicy } from './aws/identity-provider.js';
export type { RelayDestination, RelayStateInput } from './aws/relay-state.js';
export { buildRelayState } from './aws/relay-state.js';
export type {
  AppConfig,
  AppKind,
  ConnectSsoConfig,
  InstanceConfig,
  LoadConfigOptions,
  NamesConfig,
  OktaConfig,
  ResolvedApp,
  ResolvedConfig,
  ResolvedInstance,
  ResolvedNames,
  ResolvedOkta,
  ResolvedOktaAuth,
  ResolvedUser,
  ResolvedUserConnect,
  RoleMapping,
  UserConfig,
  UserConnectConfig,
  ValidateConfigOptions,
} from './config/index.js';
export {
  APP_DEFAULTS,
  connectSsoConfigSchema,
  defaultGroupFilter,
  loadConfig,
  NAME_DEFAULTS,
  parseConfigText,
  renderGroupName,
  validateConfig,
} from './config/index.js';
export type { Clock, CreateContextOptions, Logger, SsoContext } from './context.js';
export { createContext, silentLogger, systemClock } from './context.js';
export {
  ConfigError,
  ConflictError,
  ConnectSsoError,
  ManualActionRequiredError,
  ProviderError,
  TimeoutError,
  VerificationError,
} from './errors.js';
export type { AssignUserConnectInput, AssignUserInput, AssignUserResult } from './okta/assignments.js';
export { assignUser } from './okta/assignments.js';
export type {
  FederationAppMetadata,
  OktaFederationAppInput,
  OktaFederationAppResult,
  OktaGroupMapping,
} from './okta/federation-app.js';
export { createOktaFederationApp } from './okta/federation-app.js';
export type { DoctorFinding, DoctorOptions, DoctorReport, DoctorStatus } from './provision/doctor.js';
export { doctor } from './provision/doctor.js';
export { planConnectSso, provisionConnectSso } from './provision/provision.js';
export { renderPlan } from './provision/render.js';
export type {
  AppRotationResult,
  RotateOptions,
  RotationAppRef,
  RotationCertificate,
  RotationResult,
  RotationStage,
} from './provision/rotate.js';
export {
  mergeSigningCertificates,
  ROTATION_STAGES,
  RotationInterruptedError,
  rotateSigningCertificate,
} from './provision/rotate.js';
export type {
  ConnectSsoPlan,
  PlanAction,
  PlanItem,
  ProvisionEvent,
  ProvisionedApp,
  ProvisionOptions,
  ProvisionResult,
  ResourceKind,
  SecretSink,
  StepRecord,
} from './provision/types.js';
export type { IdpMetadata, SigningCertificate } from './saml/metadata.js';
export { parseIdpMetadata } from './saml/metadata.js';
export type {
  CheckSamlResponseOptions,
  SamlAssertionInfo,
  SamlCheck,
  SamlVerification,
  VerifySamlResponseOptions,
} from './saml/response.js';
export { checkSamlResponse, verifySamlResponse } from './saml/response.js';
export { Secret } from './secret.js';
export type { StepAction, StepOptions, StepResultBase } from './step.js';
