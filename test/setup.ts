/**
 * Runs before every test file. The Okta SDK fills unspecified options from ~/.okta/okta.yaml,
 * ./okta.yaml and OKTA_CLIENT_*, and sends every request (loopback included) through HTTPS_PROXY
 * (design §5.5). Isolate it so a developer's machine cannot change what the tests see; the AWS SDK
 * must not read a shared config/credentials file or probe instance metadata either.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

for (const name of Object.keys(process.env)) {
  if (
    /^(https?_proxy|all_proxy|no_proxy)$/i.test(name) ||
    name.startsWith('OKTA_') ||
    name.startsWith('AWS_')
  ) {
    delete process.env[name];
  }
}
const home = mkdtempSync(join(tmpdir(), 'cos-test-home-'));
process.env.HOME = home;
process.env.USERPROFILE = home;
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_CONFIG_FILE = join(home, 'aws-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'aws-credentials');
