/**
 * `connect-okta-sso/cdk`: the `ConnectOktaSso` construct for AWS CDK v2 — a whole Amazon Connect + Okta
 * SSO setup as one resource of your stack.
 *
 * It deploys the library's own custom resource handler (the bundled `dist/lambda/handler`), a
 * least-privilege policy derived from the config, the CDK Provider framework (so a new instance may
 * take longer than one Lambda invocation) and the `Custom::ConnectOktaSso` resource, and exposes the
 * setup's outputs as attributes. `aws-cdk-lib` and `constructs` are optional peer dependencies: only
 * this subpath loads them.
 *
 * @example
 * ```ts
 * import { ConnectOktaSso } from 'connect-okta-sso/cdk';
 * const okta = secretsmanager.Secret.fromSecretNameV2(this, 'Okta', 'connect-okta-sso/okta');
 * const sso = new ConnectOktaSso(this, 'Sso', {
 *   config: { region: 'us-east-1', instance: { alias: 'acme-cc' }, okta: { orgUrl: 'https://acme.okta.com' },
 *             apps: [{ kind: 'admin' }, { kind: 'ccp' }] },
 *   oktaCredentials: okta,
 * });
 * new CfnOutput(this, 'SignIn', { value: sso.app('admin').signInUrl });
 * ```
 * @packageDocumentation
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CustomResource, Duration, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Provider } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { resolveResourceConfig } from '../cloudformation/properties.js';
import type { AppKind, ConnectSsoConfig, ResolvedConfig } from '../config/index.js';
import { ConfigError } from '../core/errors.js';
import { handlerPolicyStatements } from './permissions.js';

export type { HandlerPolicyStatement, PolicyScope } from './permissions.js';
export { handlerPolicyStatements } from './permissions.js';

/** Props of {@link ConnectOktaSso}. */
export interface ConnectOktaSsoProps {
  /**
   * The setup, as in a config file (`region`, `instance`, `okta.orgUrl`, `apps`, `users`…), with concrete
   * values (no tokens). Never the Okta token or key: those are in `oktaCredentials`. Validated at synth.
   * As a resource, `roleMapping` defaults to `group-mapping` and every name the config leaves out is
   * made unique per instance by its alias (`Okta_Role_<alias>`).
   */
  config: ConnectSsoConfig;
  /**
   * The Secrets Manager secret with the Okta credentials: `{"token": "…"}`, or
   * `{"clientId": "…", "privateKey": "…"}` for OAuth 2.0. The handler may read it and nothing else.
   */
  oktaCredentials: secretsmanager.ISecret;
  /** Delete the Connect instance (and its contact data) when the resource is deleted. Default false. */
  deleteInstance?: boolean;
  /**
   * api-integration mode: the Secrets Manager secret that receives the Okta API user's new access key.
   * Default `connect-okta-sso/<alias>/okta-access-key`.
   */
  accessKeySecretName?: string;
  /** The handler's code. Default: the handler bundled in this package (`dist/lambda/handler`). */
  code?: lambda.Code;
  /** The handlers' runtime. Default Node.js 20 (the bundle needs 20 or later). */
  runtime?: lambda.Runtime;
  /** The handlers' memory, in MB. Default 512. */
  memorySize?: number;
  /** Each handler invocation's timeout. Default 14 minutes (at most 15). */
  timeout?: Duration;
  /** How long a request may take in all (instance creation included). Default 1 hour (the maximum). */
  totalTimeout?: Duration;
  /** How often the Provider framework asks whether a request is done. Default 15 seconds. */
  queryInterval?: Duration;
}

/** The attributes of one app of the setup (CloudFormation tokens). */
export interface ConnectOktaSsoAppAttributes {
  /** The Okta app id. */
  appId: string;
  /** The Okta sign-in link to give users. */
  signInUrl: string;
  /** The app's Default Relay State. */
  relayState: string;
  /** The IAM SAML identity provider's ARN. */
  providerArn: string;
  /** The IAM role's ARN. */
  roleArn: string;
}

const PREFIX: Record<AppKind, string> = { admin: 'Admin', ccp: 'Ccp', 'agent-workspace': 'AgentWorkspace' };

/** Where the bundled handler is: beside the built construct (dist/cdk → dist/lambda/handler), or from the sources. */
function bundledHandlerDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    join(here, '..', 'lambda', 'handler'),
    join(here, '..', '..', 'dist', 'lambda', 'handler'),
  ];
  for (const dir of candidates) if (existsSync(join(dir, 'index.mjs'))) return dir;
  throw new Error(
    `connect-okta-sso/cdk: the bundled handler is missing (looked in ${candidates.join(', ')}); build the package (npm run build) or pass code`,
  );
}

/**
 * A whole Amazon Connect + Okta SSO setup as one CloudFormation resource (`Custom::ConnectOktaSso`):
 * the handler functions, their least-privilege role, the Provider framework and the resource.
 */
export class ConnectOktaSso extends Construct {
  /** The custom resource. */
  readonly resource: CustomResource;
  /** The Provider framework that answers CloudFormation. */
  readonly provider: Provider;
  /** The function that starts each request (Provider `onEvent`). */
  readonly onEventFunction: lambda.Function;
  /** The function polled until a request is done (Provider `isComplete`). */
  readonly isCompleteFunction: lambda.Function;
  /** The role both functions run with. */
  readonly role: iam.Role;
  /** The config as the handler will run it (every default applied). */
  readonly resolvedConfig: ResolvedConfig;
  /** The Connect instance id. */
  readonly instanceId: string;
  /** The Connect instance ARN. */
  readonly instanceArn: string;
  /** The federation policy's ARN. */
  readonly federationPolicyArn: string;
  /** `complete`, or `manual-action-required` (api-integration until the console step is done). */
  readonly status: string;
  /** api-integration: the console steps still to do (see the docs); absent once done. */
  readonly manualActions: string;

  /**
   * @param scope - The parent construct.
   * @param id - This construct's id.
   * @param props - The setup and its Okta credentials.
   * @throws {ConfigError} for an invalid config (at synth), or Okta credentials in it.
   */
  constructor(scope: Construct, id: string, props: ConnectOktaSsoProps) {
    super(scope, id);
    const okta = (props.config as unknown as { okta?: Record<string, unknown> }).okta;
    for (const field of ['token', 'privateKey'] as const) {
      if (okta?.[field] !== undefined) {
        throw new ConfigError(
          `config.okta.${field}`,
          'must not be in the stack (it would be in the template): put it in the oktaCredentials secret',
        );
      }
    }
    const { config, resolved } = resolveResourceConfig({ ...props.config } as Record<string, unknown>);
    this.resolvedConfig = resolved;
    const accessKeySecretName =
      props.accessKeySecretName ?? `connect-okta-sso/${resolved.instance.alias}/okta-access-key`;
    const stack = Stack.of(this);

    this.role = new iam.Role(this, 'HandlerRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `connect-okta-sso handler of ${resolved.instance.alias} (${resolved.region})`,
      managedPolicies: [
        iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AWSLambdaBasicExecutionRole'),
      ],
    });
    const statements = handlerPolicyStatements(
      resolved,
      { partition: stack.partition, account: stack.account },
      { accessKeySecretName },
    );
    const policy = new iam.Policy(this, 'HandlerPolicy', {
      statements: statements.map((s) =>
        iam.PolicyStatement.fromJson({
          Sid: s.Sid,
          Effect: s.Effect,
          Action: s.Action,
          Resource: s.Resource,
          ...(s.Condition ? { Condition: s.Condition } : {}),
        }),
      ),
    });
    this.role.attachInlinePolicy(policy);
    props.oktaCredentials.grantRead(this.role);

    const code = props.code ?? lambda.Code.fromAsset(bundledHandlerDirectory());
    const common = {
      code,
      runtime: props.runtime ?? lambda.Runtime.NODEJS_20_X,
      memorySize: props.memorySize ?? 512,
      timeout: props.timeout ?? Duration.minutes(14),
      role: this.role,
      description: `connect-okta-sso custom resource handler (${resolved.instance.alias})`,
    };
    this.onEventFunction = new lambda.Function(this, 'OnEvent', { ...common, handler: 'index.onEvent' });
    this.isCompleteFunction = new lambda.Function(this, 'IsComplete', {
      ...common,
      handler: 'index.isComplete',
    });
    // The policy must exist before a request runs.
    this.onEventFunction.node.addDependency(policy);
    this.isCompleteFunction.node.addDependency(policy);

    this.provider = new Provider(this, 'Provider', {
      onEventHandler: this.onEventFunction,
      isCompleteHandler: this.isCompleteFunction,
      queryInterval: props.queryInterval ?? Duration.seconds(15),
      totalTimeout: props.totalTimeout ?? Duration.hours(1),
    });

    this.resource = new CustomResource(this, 'Resource', {
      serviceToken: this.provider.serviceToken,
      resourceType: 'Custom::ConnectOktaSso',
      properties: {
        ...(config as unknown as Record<string, unknown>),
        OktaCredentialsSecret: props.oktaCredentials.secretArn,
        DeleteInstance: props.deleteInstance === true,
        ...(resolved.roleMapping === 'api-integration' ? { AccessKeySecretName: accessKeySecretName } : {}),
      },
    });
    this.instanceId = this.resource.getAttString('InstanceId');
    this.instanceArn = this.resource.getAttString('InstanceArn');
    this.federationPolicyArn = this.resource.getAttString('FederationPolicyArn');
    this.status = this.resource.getAttString('Status');
    this.manualActions = this.resource.getAttString('ManualActions');
  }

  /**
   * The attributes of one app of the config.
   * @param kind - The app's kind (`admin`, `ccp`, `agent-workspace`).
   * @throws {Error} when the config has no app of that kind.
   */
  app(kind: AppKind): ConnectOktaSsoAppAttributes {
    if (!this.resolvedConfig.apps.some((a) => a.kind === kind)) {
      throw new Error(`the config of ${this.node.path} has no '${kind}' app`);
    }
    const p = PREFIX[kind];
    return {
      appId: this.resource.getAttString(`${p}AppId`),
      signInUrl: this.resource.getAttString(`${p}SignInUrl`),
      relayState: this.resource.getAttString(`${p}RelayState`),
      providerArn: this.resource.getAttString(`${p}ProviderArn`),
      roleArn: this.resource.getAttString(`${p}RoleArn`),
    };
  }
}
