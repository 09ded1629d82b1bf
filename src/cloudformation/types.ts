/**
 * Types of the CloudFormation custom resource protocol and of the CDK Provider framework's handlers,
 * written out so that this subpath needs neither `aws-lambda` types nor `aws-cdk-lib`.
 */
import type { Clock, Logger } from '../core/context.js';

/** A CloudFormation custom resource request (what CloudFormation sends to the ServiceToken). */
export interface CustomResourceEvent {
  /** What CloudFormation asks for. */
  RequestType: 'Create' | 'Update' | 'Delete';
  /** The ARN of the handler (the resource's `ServiceToken`). */
  ServiceToken?: string;
  /** The pre-signed S3 URL the response is PUT to. */
  ResponseURL: string;
  /** The stack's ARN. */
  StackId: string;
  /** The request's unique id (echoed in the response). */
  RequestId: string;
  /** `Custom::ConnectOktaSso` (or `AWS::CloudFormation::CustomResource`). */
  ResourceType: string;
  /** The resource's logical id in the template. */
  LogicalResourceId: string;
  /** The id the handler gave the resource; sent with Update and Delete, never with Create. */
  PhysicalResourceId?: string;
  /** The resource's properties (every scalar as a string, as CloudFormation sends them). */
  ResourceProperties: Record<string, unknown>;
  /** Update only: the properties before the update. */
  OldResourceProperties?: Record<string, unknown>;
}

/** What the handler uses of the Lambda context. */
export interface LambdaContext {
  /** Milliseconds left before Lambda ends the invocation. */
  getRemainingTimeInMillis(): number;
  /** The ARN this invocation was called with (the handler re-invokes it to continue a long request). */
  invokedFunctionArn?: string;
  /** The function's name. */
  functionName?: string;
  /** The CloudWatch log stream of this invocation (named in a truncated reason). */
  logStreamName?: string;
  /** The invocation's request id. */
  awsRequestId?: string;
}

/** The response body PUT to `ResponseURL`. */
export interface CustomResourceResponse {
  /** `SUCCESS` or `FAILED`. */
  Status: 'SUCCESS' | 'FAILED';
  /** Why (required with FAILED); never a secret, truncated to fit CloudFormation's 4 KB. */
  Reason: string;
  /** The resource's id. */
  PhysicalResourceId: string;
  /** The request's stack. */
  StackId: string;
  /** The request's id. */
  RequestId: string;
  /** The request's logical id. */
  LogicalResourceId: string;
  /** Whether `Data` is masked in `Fn::GetAtt` output; only sent when true. */
  NoEcho?: boolean;
  /** The resource's attributes (`Fn::GetAtt`), every value a string. */
  Data?: Record<string, string>;
}

/** The state a long request carries from one invocation (or one `isComplete` poll) to the next. */
export interface ContinuationState {
  /** When the first invocation for this request started (epoch ms). */
  startedAt: number;
  /** How many invocations came before this one. */
  attempt: number;
  /** Whether a pass of this request created the Connect instance (a failed Create then deletes it too). */
  createdInstance: boolean;
  /** The physical id the request came with (the Provider framework replaces it by `onEvent`'s). */
  originalPhysicalResourceId?: string;
  /** A failed Create (or replacing Update) is removing its partial work; this is why it failed. */
  cleanup?: {
    /** The failure, for the final FAILED answer. */
    reason: string;
  };
  /** Provider framework: `onEvent` finished the request, `isComplete` has nothing left to do. */
  done?: {
    /** The resource's id. */
    physicalResourceId: string;
    /** The attributes. */
    data: Record<string, string>;
  };
}

/** The property of a re-invocation payload (and of `onEvent`'s answer) that carries {@link ContinuationState}. */
export const CONTINUATION_KEY = 'ConnectOktaSsoContinuation';

/** A plain-CloudFormation request as the handler re-invokes itself with it. */
export type ContinuationEvent = CustomResourceEvent & {
  /** Where the request is. */
  [CONTINUATION_KEY]?: ContinuationState;
};

/** The CDK Provider framework's `onEvent` answer. */
export interface OnEventResponse {
  /** The resource's id (a new one on Update means a replacement). */
  PhysicalResourceId: string;
  /** The attributes known so far. */
  Data?: Record<string, string>;
  /** Passed on to `isComplete`. */
  [CONTINUATION_KEY]: ContinuationState;
}

/** The CDK Provider framework's `isComplete` request: the event and what `onEvent` answered. */
export type IsCompleteRequest = CustomResourceEvent & Partial<OnEventResponse>;

/** The CDK Provider framework's `isComplete` answer. */
export interface IsCompleteResponse {
  /** `false`: the framework asks again after its query interval. */
  IsComplete: boolean;
  /** The resource's id, when complete. */
  PhysicalResourceId?: string;
  /** The attributes, when complete (merged with `onEvent`'s). */
  Data?: Record<string, string>;
}

/** Options of {@link createCustomResourceHandler}. Every field has a default fit for Lambda. */
export interface CustomResourceHandlerOptions {
  /**
   * How the AWS clients are built. Default: the Lambda's role through the default credential chain,
   * the real endpoints. `endpoint` points IAM, Connect and Secrets Manager elsewhere (the sandbox);
   * `lambdaEndpoint` the self re-invocation.
   */
  aws?: {
    /** An endpoint override for IAM, Connect and Secrets Manager (the sandbox, LocalStack). */
    endpoint?: string;
    /** An endpoint override for Lambda (the re-invocation of the plain-CloudFormation handler). */
    lambdaEndpoint?: string;
    /** Static credentials instead of the default chain. */
    credentials?: {
      /** The access key id. */
      accessKeyId: string;
      /** The secret access key. */
      secretAccessKey: string;
      /** The session token of temporary credentials. */
      sessionToken?: string;
    };
    /** AWS SDK attempts per call. Default 5. */
    maxAttempts?: number;
    /** The region of the handler itself (Secrets Manager by name, Lambda). Default `AWS_REGION`, else the config's. */
    region?: string;
  };
  /** Where the handler logs (JSON lines on stdout by default); secrets are scrubbed from every line. */
  logger?: Logger;
  /** Time, for waits and the request's total budget. Default the system clock. */
  clock?: Clock;
  /**
   * Time kept free at the end of every invocation to answer or re-invoke, in ms. Default 60 000 (or a
   * quarter of the invocation's time, when that is less).
   */
  reserveMs?: number;
  /**
   * Plain CloudFormation: how long a request may take over all its invocations before it fails, in ms.
   * Default: the resource's `ServiceTimeout` (else CloudFormation's 3600 s) less 5 minutes.
   */
  maxDurationMs?: number;
  /**
   * Plain CloudFormation: continue a request in a new invocation. Default: an asynchronous
   * (`InvocationType: Event`) Lambda `Invoke` of the invocation's own ARN; needs
   * `@aws-sdk/client-lambda` and `lambda:InvokeFunction` on the function itself.
   */
  invokeSelf?: (event: ContinuationEvent, context: LambdaContext) => Promise<void>;
  /** Attempts of the response PUT (network errors and 5xx are retried with backoff). Default 6. */
  responseAttempts?: number;
  /** How many steps run at once. Default 4. */
  concurrency?: number;
  /**
   * Stands for the process dying (a test's crash): when it aborts, the invocation stops where it is and
   * answers nothing, as a killed Lambda would. Default none.
   */
  signal?: AbortSignal;
}

/**
 * The handler {@link createCustomResourceHandler} returns: call it as a plain CloudFormation custom
 * resource Lambda (`index.handler`); its `onEvent` and `isComplete` are the two handlers of the CDK
 * Provider framework (`aws-cdk-lib/custom-resources` `Provider`).
 */
export interface CustomResourceHandler {
  /** Plain CloudFormation: handle the request and PUT the response (or continue in a new invocation). */
  (event: ContinuationEvent, context: LambdaContext): Promise<void>;
  /** Provider framework: start (and, when it fits in one invocation, finish) a request. Throws to fail it. */
  onEvent(event: CustomResourceEvent, context?: LambdaContext): Promise<OnEventResponse>;
  /** Provider framework: continue a request; `IsComplete: false` until it is done. Throws to fail it. */
  isComplete(event: IsCompleteRequest, context?: LambdaContext): Promise<IsCompleteResponse>;
}
