/**
 * connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML 2.0 identity provider.
 *
 * Each step of the AWS guide is one typed, idempotent function that takes a context
 * ({@link createContext}) and its input; the sandbox that emulates AWS and Okta is
 * `connect-okta-sso/sandbox`.
 * @packageDocumentation
 */

export type {
  AppConfig,
  AppKind,
  ConnectSsoConfig,
  InstanceConfig,
  LoadConfigOptions,
  MappingConditionConfig,
  MappingConfig,
  MappingConnectConfig,
  NamesConfig,
  OffboardPolicy,
  OktaConfig,
  RenamePolicy,
  ResolvedApp,
  ResolvedConfig,
  ResolvedInstance,
  ResolvedMapping,
  ResolvedNames,
  ResolvedOkta,
  ResolvedOktaAuth,
  ResolvedSync,
  ResolvedUser,
  ResolvedUserConnect,
  ResolvedUsersFromOkta,
  RoleMapping,
  SyncConfig,
  UserConfig,
  UserConnectConfig,
  UsersConfig,
  UsersFromOktaConfig,
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
export type { ConnectPhoneType } from './config/types.js';
export type { Clock, CreateContextOptions, Logger, SsoContext } from './core/context.js';
export { createContext, silentLogger, systemClock } from './core/context.js';
export {
  ConfigError,
  ConflictError,
  ConnectSsoError,
  ManualActionRequiredError,
  ProviderError,
  TimeoutError,
  VerificationError,
} from './core/errors.js';
export { Secret } from './core/secret.js';
export type { StepAction, StepOptions, StepResultBase } from './core/step.js';
export type {
  ConnectInstanceStatus,
  InstanceWaitOptions,
  SamlInstanceInput,
  SamlInstanceResult,
} from './resources/connect-instance/ensure.js';
export { createSamlInstance } from './resources/connect-instance/ensure.js';
export type {
  FederationPolicyInput,
  ManagedPolicyOptions,
  ManagedPolicyResult,
  OktaAccessPolicyInput,
  PolicyDocument,
  PolicyStatement,
} from './resources/iam-policies/ensure.js';
export {
  createFederationPolicy,
  createOktaAccessPolicy,
  federationPolicyDocument,
  oktaAccessPolicyDocument,
} from './resources/iam-policies/ensure.js';
export type {
  AccessKeyDelivery,
  AccessKeyPolicy,
  AccessKeySummary,
  ExistingAccessKey,
  NewAccessKey,
  OktaApiUserInput,
  OktaApiUserResult,
} from './resources/okta-api-user/ensure.js';
export {
  createOktaApiUser,
  KEY_DELIVERED_TAG_PREFIX,
  markAccessKeyDelivered,
} from './resources/okta-api-user/ensure.js';
export type {
  FederationAppMetadata,
  OktaFederationAppInput,
  OktaFederationAppResult,
  OktaGroupMapping,
} from './resources/okta-app/ensure.js';
export { createOktaFederationApp } from './resources/okta-app/ensure.js';
export type { RelayDestination, RelayStateInput } from './resources/okta-app/relay-state.js';
export { buildRelayState } from './resources/okta-app/relay-state.js';
export type {
  LinkIdentityProviderInput,
  LinkIdentityProviderResult,
} from './resources/saml-provider-role/ensure.js';
export {
  linkIdentityProvider,
  samlAudiences,
  samlTrustPolicy,
} from './resources/saml-provider-role/ensure.js';
export type {
  AssignUserConnectInput,
  AssignUserInput,
  AssignUserResult,
} from './resources/users/assignment.js';
export { assignUser } from './resources/users/assignment.js';
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
export type { DoctorFinding, DoctorOptions, DoctorReport, DoctorStatus } from './workflows/doctor/doctor.js';
export { doctor } from './workflows/doctor/doctor.js';
export { planConnectSso, provisionConnectSso } from './workflows/provision/provision.js';
export { renderPlan } from './workflows/provision/render.js';
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
} from './workflows/provision/types.js';
export type {
  AppRotationResult,
  RotateOptions,
  RotationAppRef,
  RotationCertificate,
  RotationResult,
  RotationStage,
} from './workflows/rotate/rotate.js';
export {
  mergeSigningCertificates,
  ROTATION_STAGES,
  RotationInterruptedError,
  rotateSigningCertificate,
} from './workflows/rotate/rotate.js';
export type {
  ConnectPaceLimits,
  HeaderLookup,
  OktaEventHookHandler,
  OktaEventHookHandlerOptions,
  OktaEventHookListenerOptions,
  OktaEventHookStats,
  OktaHookEvent,
  OktaHookRequest,
  OktaHookResponse,
  SyncAction,
  SyncCounts,
  SyncEvent,
  SyncUserOutcome,
  SyncUserProfiles,
  SyncUsersOptions,
  SyncUsersResult,
} from './workflows/sync/index.js';
export { createOktaEventHookHandler, oktaEventHookListener, syncUsers } from './workflows/sync/index.js';
