/**
 * The answer to a signed request for an AWS service the sandbox does not emulate (`sns`, `s3`, …):
 * `NotImplemented` (HTTP 501, which the SDKs do not retry), naming the service and operation, in the
 * error format of the protocol the request speaks — so that the caller's SDK or CLI parses the error
 * code instead of failing on an envelope it cannot read:
 *
 * - awsQuery (a form-encoded body with `Action=`): `<ErrorResponse><Error><Code>…` (EC2's query dialect:
 *   `<Response><Errors><Error><Code>…`);
 * - awsJson 1.0 / 1.1 (`X-Amz-Target`): `{"__type": "NotImplemented", "message": …}`;
 * - restXml (S3): `<Error><Code>NotImplemented</Code>…`;
 * - restJson1 (anything else): `x-amzn-errortype: NotImplemented` and `{"message": …}`.
 */
import type { SandboxRequest, SandboxResponse } from './emulator.js';
import { escapeMarkup } from './markup.js';

const escapeXml = (text: string): string => escapeMarkup(text, '&apos;');

function formParams(req: SandboxRequest): URLSearchParams | undefined {
  const type = req.headers['content-type'] ?? '';
  if (!/x-www-form-urlencoded/i.test(type)) return req.query.has('Action') ? req.query : undefined;
  const params = new URLSearchParams(req.query);
  for (const [name, value] of new URLSearchParams(req.body.toString('utf8'))) params.append(name, value);
  return params;
}

/** `NotImplemented` for `service` (the SigV4 scope's service name), in the request's protocol. */
export function notEmulatedResponse(
  service: string,
  req: SandboxRequest,
  requestId: string,
): SandboxResponse {
  const form = formParams(req);
  const target = req.headers['x-amz-target'];
  const operation =
    form?.get('Action') ??
    (target ? (target.split('.').pop() ?? target) : `${req.method.toUpperCase()} ${req.path}`);
  const message = `The sandbox does not emulate the AWS service ${service} (${operation}); it emulates iam, sts, connect and secretsmanager.`;
  const base = { 'x-amzn-requestid': requestId };
  if (form?.has('Action')) {
    const body =
      service === 'ec2'
        ? `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>NotImplemented</Code><Message>${escapeXml(message)}</Message></Error></Errors><RequestID>${requestId}</RequestID></Response>`
        : `<ErrorResponse xmlns="https://${escapeXml(service)}.amazonaws.com/doc/${escapeXml(form.get('Version') ?? '')}/"><Error><Type>Receiver</Type><Code>NotImplemented</Code><Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`;
    return { status: 501, headers: { ...base, 'content-type': 'text/xml' }, body };
  }
  if (target !== undefined) {
    const type = /x-amz-json-1\.0/i.test(req.headers['content-type'] ?? '')
      ? 'application/x-amz-json-1.0'
      : 'application/x-amz-json-1.1';
    return {
      status: 501,
      headers: { ...base, 'content-type': type },
      body: JSON.stringify({ __type: 'NotImplemented', message }),
    };
  }
  if (service === 's3') {
    return {
      status: 501,
      headers: { ...base, 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>NotImplemented</Code><Message>${escapeXml(message)}</Message><RequestId>${requestId}</RequestId></Error>`,
    };
  }
  return {
    status: 501,
    headers: { ...base, 'content-type': 'application/json', 'x-amzn-errortype': 'NotImplemented' },
    body: JSON.stringify({ message }),
  };
}
