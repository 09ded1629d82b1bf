/**
 * The StackSets example's CDK app synthesizes (as CI would run `cdk synth`): one stack per fleet target,
 * each with its Custom::ConnectOktaSso resource, handler and Provider; and the StackSets template is a
 * SERVICE_MANAGED StackSet with auto-deployment whose inner template deploys the same resource.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { buildApp } from '../../examples/stacksets/app.js';

describe('examples/stacksets', () => {
  it('the CDK app synthesizes one stack per target', async () => {
    const app = await buildApp({ outdir: mkdtempSync(join(tmpdir(), 'cos-cdk-out-')) });
    const assembly = app.synth();
    const stacks = assembly.stacks.map((s) => s.stackName).sort();
    expect(stacks).toEqual([
      'ConnectOktaSso-dev-use1',
      'ConnectOktaSso-prod-euw2',
      'ConnectOktaSso-prod-use1',
    ]);
    for (const stack of assembly.stacks) {
      const template = Template.fromJSON(stack.template as Record<string, unknown>);
      template.resourceCountIs('Custom::ConnectOktaSso', 1);
      template.hasResourceProperties('AWS::Lambda::Function', {
        Handler: 'index.onEvent',
        Runtime: 'nodejs20.x',
      });
    }
    const prod = assembly.getStackByName('ConnectOktaSso-prod-euw2');
    expect(prod.environment.region).toBe('eu-west-2');
    expect(JSON.stringify(prod.template)).toContain('Amazon Connect CCP (acme-prod-euw2)');
  });

  it('the StackSets template is SERVICE_MANAGED with auto-deployment and deploys the resource', () => {
    const text = readFileSync(join(import.meta.dirname, '../../examples/stacksets/stackset.yaml'), 'utf8');
    const doc = parse(text) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const stackSet = Object.values(doc.Resources).find((r) => r.Type === 'AWS::CloudFormation::StackSet');
    expect(stackSet?.Properties).toMatchObject({
      PermissionModel: 'SERVICE_MANAGED',
      AutoDeployment: { Enabled: true, RetainStacksOnAccountRemoval: false },
    });
    const body = parse(String(stackSet?.Properties.TemplateBody)) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const types = Object.values(body.Resources).map((r) => r.Type);
    expect(types).toContain('Custom::ConnectOktaSso');
    expect(types).toContain('AWS::Lambda::Function');
    const fn = Object.values(body.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
    expect(fn?.Properties).toMatchObject({ Runtime: 'nodejs20.x', Handler: 'index.handler' });
    const sso = Object.values(body.Resources).find((r) => r.Type === 'Custom::ConnectOktaSso');
    expect(sso?.Properties).toMatchObject({ roleMapping: 'group-mapping' });
    expect(JSON.stringify(sso?.Properties)).not.toMatch(/"token"|privateKey/);
  });
});
