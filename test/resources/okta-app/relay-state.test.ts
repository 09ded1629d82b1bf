import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { buildRelayState } from '../../../src/resources/okta-app/relay-state.js';

const id = '1e5f3c9a-8b7d-4c2e-9f01-23456789abcd';

describe('buildRelayState', () => {
  it.each([
    [
      { region: 'us-east-1', instanceId: id },
      `https://us-east-1.console.aws.amazon.com/connect/federate/${id}`,
    ],
    [
      { region: 'eu-west-2', instanceId: id, destination: 'admin' },
      `https://eu-west-2.console.aws.amazon.com/connect/federate/${id}`,
    ],
    [
      { region: 'us-west-2', instanceId: id, destination: 'ccp' },
      `https://us-west-2.console.aws.amazon.com/connect/federate/${id}?destination=%2Fccp-v2`,
    ],
    [
      { region: 'us-west-2', instanceId: id, destination: 'ccp', legacyCcpPath: true },
      `https://us-west-2.console.aws.amazon.com/connect/federate/${id}?destination=%2Fconnect%2Fccp-v2`,
    ],
    [
      { region: 'ap-southeast-2', instanceId: id, destination: 'agent-workspace' },
      `https://ap-southeast-2.console.aws.amazon.com/connect/federate/${id}?destination=%2Fagent-app-v2`,
    ],
    [
      { region: 'us-east-1', instanceId: id, destination: '/ccp-v2/chat', newDomain: true },
      `https://us-east-1.console.aws.amazon.com/connect/federate/${id}?destination=%2Fccp-v2%2Fchat&new_domain=true`,
    ],
    [
      { region: 'us-east-1', instanceId: id, newDomain: true },
      `https://us-east-1.console.aws.amazon.com/connect/federate/${id}?new_domain=true`,
    ],
    [
      { region: 'us-gov-west-1', instanceId: id },
      `https://console.amazonaws-us-gov.com/connect/federate/${id}`,
    ],
    [
      { region: 'us-gov-west-1', instanceId: id, destination: 'ccp' },
      `https://console.amazonaws-us-gov.com/connect/federate/${id}?destination=%2Fccp-v2`,
    ],
  ])('%o → %s', (input, expected) => {
    expect(buildRelayState(input)).toBe(expected);
  });

  it('rejects an instance ARN and says which part to use', () => {
    const arn = `arn:aws:connect:us-east-1:123456789012:instance/${id}`;
    const error = (() => {
      try {
        buildRelayState({ region: 'us-east-1', instanceId: arn });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('instanceId');
    expect((error as ConfigError).message).toContain('got an ARN');
    expect((error as ConfigError).message).toContain(`'${id}'`);
  });

  it.each([
    [{ region: 'cn-north-1', instanceId: id }, 'region', /aws-cn/],
    [{ region: 'mars-east-1', instanceId: id }, 'region', /not an AWS region/],
    [{ region: 'us-east-1', instanceId: 'my-instance' }, 'instanceId', /not a Connect instance id/],
    [{ region: 'us-east-1', instanceId: '' }, 'instanceId', /required/],
    [{ region: 'us-east-1', instanceId: id, destination: 'ccp-v2' }, 'destination', /path starting with/],
    [
      { region: 'us-east-1', instanceId: id, destination: '//evil.example' },
      'destination',
      /path starting with/,
    ],
    [
      { region: 'us-east-1', instanceId: id, destination: 'https://evil.example/' },
      'destination',
      /path starting with/,
    ],
  ])('rejects %o naming %s', (input, field, message) => {
    expect(() => buildRelayState(input)).toThrow(message);
    try {
      buildRelayState(input);
    } catch (e) {
      expect((e as ConfigError).field).toBe(field);
      expect((e as ConfigError).code).toBe('CONFIG_INVALID');
    }
  });

  it('round-trips the instance id for any UUID and destination (property)', () => {
    // A small deterministic generator: no dependency, same cases every run.
    let s = 42;
    const rand = () => {
      s = (s * 1103515245 + 12345) & 0x7fffffff;
      return s / 0x7fffffff;
    };
    const hex = (n: number) =>
      Array.from({ length: n }, () => '0123456789abcdef'[Math.floor(rand() * 16)]).join('');
    const destinations = [
      'admin',
      'ccp',
      'agent-workspace',
      '/ccp-v2/chat',
      '/agent-app-v2?VDIPlatform=CITRIX',
    ] as const;
    const regions = ['us-east-1', 'us-west-2', 'eu-central-1', 'us-gov-west-1'];
    for (let i = 0; i < 200; i++) {
      const instanceId = `${hex(8)}-${hex(4)}-4${hex(3)}-a${hex(3)}-${hex(12)}`;
      const destination = destinations[i % destinations.length] as string;
      const region = regions[i % regions.length] as string;
      const url = new URL(buildRelayState({ region, instanceId, destination, newDomain: i % 2 === 0 }));
      expect(url.pathname).toBe(`/connect/federate/${instanceId}`);
      const dest = url.searchParams.get('destination');
      if (destination.startsWith('/')) expect(dest).toBe(destination);
      if (destination === 'admin') expect(dest).toBeNull();
      expect(url.searchParams.get('new_domain')).toBe(i % 2 === 0 ? 'true' : null);
    }
  });
});
