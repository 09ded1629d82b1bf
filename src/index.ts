/**
 * connect-okta-sso: Single Sign-On for Amazon Connect with Okta as the SAML 2.0 identity provider.
 *
 * Each step of the AWS guide is one typed, idempotent function that takes a context
 * ({@link createContext}) and its input; the sandbox that emulates AWS and Okta is
 * `connect-okta-sso/sandbox`.
 * @packageDocumentation
 */

export * from './config/index.js';
export type { ConnectPhoneType } from './config/types.js';
export type {
  Clock,
  CreateContextOptions,
  Logger,
  OktaAppUserLike,
  OktaClientLike,
  OktaHttpResponse,
  OktaUserLike,
  SsoContext,
} from './core/context.js';
export { createContext, silentLogger, systemClock } from './core/context.js';
export type {
  DestroyAction,
  DestroyRecord,
  DestroyResourceKind,
  DestroyStepOptions,
} from './core/destroy-step.js';
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
export type { StepAction, StepOptions, StepResultBase, WaitOptions } from './core/step.js';
export type {
  DestroySamlInstanceInput,
  InstanceForDestroy,
} from './resources/connect-instance/destroy.js';
export {
  destroySamlInstance,
  INSTANCE_DELETE_WARNING,
  readInstanceForDestroy,
} from './resources/connect-instance/destroy.js';
export type {
  ConnectInstanceStatus,
  InstanceWaitOptions,
  SamlInstanceInput,
  SamlInstanceResult,
} from './resources/connect-instance/ensure.js';
export { createSamlInstance } from './resources/connect-instance/ensure.js';
export type { DestroyManagedPolicyInput } from './resources/iam-policies/destroy.js';
export { destroyManagedPolicy } from './resources/iam-policies/destroy.js';
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
export type { DestroyOktaApiUserInput } from './resources/okta-api-user/destroy.js';
export { destroyOktaApiUser } from './resources/okta-api-user/destroy.js';
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
export type { DestroyOktaAppInput } from './resources/okta-app/destroy.js';
export { destroyOktaFederationApp } from './resources/okta-app/destroy.js';
export type {
  FederationAppMetadata,
  OktaFederationAppInput,
  OktaFederationAppResult,
  OktaGroupMapping,
} from './resources/okta-app/ensure.js';
export { createOktaFederationApp } from './resources/okta-app/ensure.js';
export type { RelayDestination, RelayStateInput } from './resources/okta-app/relay-state.js';
export { buildRelayState } from './resources/okta-app/relay-state.js';
export type { DestroyOktaGroupInput } from './resources/okta-groups/destroy.js';
export { destroyOktaGroup } from './resources/okta-groups/destroy.js';
export type {
  DestroySamlProviderInput,
  DestroySamlRoleInput,
} from './resources/saml-provider-role/destroy.js';
export { destroySamlProvider, destroySamlRole } from './resources/saml-provider-role/destroy.js';
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
export type { DestroyConnectUsersInput } from './resources/users/destroy.js';
export { destroyConnectUsers } from './resources/users/destroy.js';
export type { IdpMetadata, SigningCertificate } from './saml/metadata.js';
export { parseIdpMetadata } from './saml/metadata.js';
/** Pure: checks a SAML response with no I/O. */
export { checkSamlResponse } from './saml/response.js';
export type {
  CheckSamlResponseOptions,
  SamlAssertionInfo,
  SamlCheck,
  SamlVerification,
} from './saml/types.js';
export { destroyConnectSso, planDestroy } from './workflows/destroy/destroy.js';
export { renderDestroyPlan, renderDestroyResult } from './workflows/destroy/render.js';
export type {
  DestroyEvent,
  DestroyedResource,
  DestroyOptions,
  DestroyPlan,
  DestroyPlanItem,
  DestroyResult,
  DestroyStepRecord,
} from './workflows/destroy/types.js';
export type { DoctorFinding, DoctorOptions, DoctorReport, DoctorStatus } from './workflows/doctor/doctor.js';
export { doctor } from './workflows/doctor/doctor.js';
export type {
  FleetPlan,
  FleetTarget,
  FleetTargetPlan,
  PlanFleetOptions,
} from './workflows/fleet/fleet.js';
export { planFleet, renderFleetPlan } from './workflows/fleet/fleet.js';
export { loadFleet } from './workflows/fleet/load.js';
export { withInstanceScopedNames } from './workflows/fleet/names.js';
export { planConnectSso, provisionConnectSso } from './workflows/provision/provision.js';
export { renderPlan } from './workflows/provision/render.js';
export type {
  AccessKeyOutcome,
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
export type { VerifySamlResponseOptions } from './workflows/verify-saml/verify.js';
/** Calls AWS (IAM and Connect) given a context; otherwise the pure `checkSamlResponse`. */
export { verifySamlResponse } from './workflows/verify-saml/verify.js';
