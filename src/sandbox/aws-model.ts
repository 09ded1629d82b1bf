/**
 * The AWS wire layer of the sandbox, driven by the official Smithy models (extracted by
 * `scripts/extract-models.mjs` into `./models/*.json`, committed; the sandbox never reads ../shared).
 *
 * CONTRACT (the IAM and Connect emulators code against it):
 *
 *   validateInput(service, operation, input)        -> throws ServiceError as the real service does for a
 *                                                     model violation (required member missing, length,
 *                                                     pattern, enum, range), with AWS's message form.
 *   parseQueryInput(operation, params, service?)     -> awsQuery form (IAM, or STS) -> structured input
 *   serializeQueryOutput(operation, output, reqId, service?) -> XML `<OpResponse><OpResult>…` per output shape
 *   renderQueryError(code, message, type, reqId, service?)   -> `<ErrorResponse>` XML
 *   otherOperation(service, operation)               -> an operation of the service NOT emulated, or undefined
 *   unemulatedRestOperation(method, rawPath, query?) -> the Connect operation a request names, not emulated
 *   matchRestOperation(method, rawPath, query?)      -> Connect restJson1 route: { operation, labels } | undefined
 *   parseRestInput(operation, labels, query, body, headers?) -> Connect input
 *   serializeRestOutput(operation, output)           -> { status, headers, body } JSON
 *   operationInfo(service, operation)                -> { readonly, write, action, errors, http? } | undefined
 *   errorStatus(service, code)                       -> HTTP status of an error code | undefined
 * and helpers: collectViolations / validationError / validationErrorCode (same wording for an emulator's own
 * checks), errorInfo / modelError (a ServiceError with the model's status and fault), matchUriTemplate,
 * escapeXml, isoSeconds, IAM_XMLNS.
 *
 * The SDKs read `$metadata.requestId` from the `x-amzn-requestid` response header (not from the XML
 * `<RequestId>`): send it on IAM responses too.
 *
 * VALUES. Inputs and outputs are plain JS objects keyed by the model's member names (`RoleName`,
 * `InstanceId`, `tags`…). Timestamps: parsers produce **epoch milliseconds** (numbers), like the sandbox
 * state; serializers accept epoch-ms numbers, `Date` objects or ISO-8601 strings. Members absent from the
 * model are ignored by serializers (state objects may carry extra fields); `undefined`/`null` members are
 * omitted, except members with a model default (`IsTruncated`, `IsAttachable`, `IsDefaultVersion`,
 * `SetAsDefault`, `AutoAccept`, `AfterContactWorkTimeLimit`) which take it, in parsed inputs and in
 * serialized outputs alike (the real services always print them).
 *
 * VALIDATION MESSAGES (evidence):
 * - IAM answers `ValidationError` (HTTP 400, `<Type>Sender</Type>`), e.g. recorded 2025 (LocalStack AWS
 *   snapshots, fixtures/aws/iam-error-snapshots.json): "1 validation error detected: Value at
 *   'serviceSpecificCredentialId' failed to satisfy constraint: Member must satisfy regular expression
 *   pattern: [\w]+" and "… Value at 'status' failed to satisfy constraint: Member must satisfy enum value
 *   set". Since ~2023 IAM no longer echoes the value ("Value at 'roleName'", aws/eks-hybrid#113 2024,
 *   boto/botocore#3337 2025 "Value at 'maxSessionDuration' … Member must have value less than or equal to
 *   43200"); older reports show "Value 'x' at 'roleName'". The pattern is printed without the `^`/`$` that
 *   the Smithy conversion added (model `^[\w]+$`, message `[\w]+`). A missing member reads
 *   "Value null at 'x' failed to satisfy constraint: Member must not be null" (Coral framework wording,
 *   e.g. pulumi/pulumi-aws#2357). Several violations: "N validation errors detected: a; b".
 * - Connect (restJson1, same Coral framework) echoes non-sensitive values ("Value 'x' at 'name'"), hides
 *   `@sensitive` ones ("Value at 'instanceAlias'", like Amplify's hidden `buildSpec`), prints the model
 *   pattern as is (Cloud Map: "…pattern: ^[0-9a-zA-Z_/:.@-]+$") and the enum set ("Member must satisfy
 *   enum value set: [A, B]", Amplify 2023). The Connect model declares no ValidationException; Coral
 *   services without one answer framework validation with their modelled client-input error (Cognito:
 *   `{"__type":"InvalidParameterException","message":"1 validation error detected: Value '-1' at 'limit'
 *   …"}`, aws/aws-sdk-js#2193). No recorded Connect response was found, so the code is an inference:
 *   `InvalidParameterException` (400) where the operation declares it (all user/profile/tag operations),
 *   otherwise `InvalidRequestException` (400) (instance operations declare only that one). See
 *   {@link validationErrorCode}.
 * - Member paths are the member names with the first letter lower-cased, nested with `.`; list items are
 *   `name.N.member` (1-based), map constraints are reported on the map ("Map keys must satisfy
 *   constraint: [...]"), as Coral prints them.
 */

export {
  type ErrorInfo,
  errorInfo,
  errorStatus,
  modelError,
  type OperationInfo,
  operationInfo,
} from './aws-model/errors.js';
export {
  type AwsServiceName,
  type HttpBinding,
  IAM_XMLNS,
  isoSeconds,
  otherOperation,
  type QueryServiceName,
  xmlNamespace,
} from './aws-model/model.js';
export {
  __testing,
  escapeXml,
  parseQueryInput,
  renderQueryError,
  serializeQueryOutput,
} from './aws-model/query.js';
export { parseRestInput, type RestOutput, serializeRestOutput } from './aws-model/rest-json.js';
export {
  matchRestOperation,
  matchUriTemplate,
  type RestMatch,
  unemulatedRestOperation,
} from './aws-model/routes.js';
export {
  collectViolations,
  validateInput,
  validationError,
  validationErrorCode,
} from './aws-model/validate.js';
