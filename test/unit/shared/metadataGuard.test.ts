import { describe, expect, it } from 'vitest';
import { LIST_FILTER_RULES, addMetadataGuard, coversMetadataAddress, findMetadataGuard, parseIptablesRules } from '../../../shared/guide/metadataGuard';
import { runShell } from './guideShell';

// `iptables -S` of a host where dockerd has set up its chains (the filter table, as iptables prints it).
const DOCKER_HOST = `-P INPUT ACCEPT
-P FORWARD DROP
-P OUTPUT ACCEPT
-N DOCKER
-N DOCKER-USER
-A FORWARD -j DOCKER-USER
-A DOCKER-USER -j RETURN
`;
const HOST_RULE = '-A OUTPUT -d 169.254.169.254/32 -p tcp -m owner --uid-owner 1000 -j REJECT --reject-with icmp-port-unreachable';
const BRIDGE_RULE = '-A DOCKER-USER -d 169.254.169.254/32 -j DROP';

describe('iptables -S', () => {
  it('is the command', () => {
    expect(LIST_FILTER_RULES.text).toBe('iptables -S');
  });

  it('reads -A lines and skips policies and chain declarations', () => {
    expect(parseIptablesRules(`${DOCKER_HOST}${HOST_RULE}\n`)).toEqual([
      { chain: 'FORWARD', destination: null, destinationNegated: false, target: 'DOCKER-USER', line: '-A FORWARD -j DOCKER-USER' },
      { chain: 'DOCKER-USER', destination: null, destinationNegated: false, target: 'RETURN', line: '-A DOCKER-USER -j RETURN' },
      { chain: 'OUTPUT', destination: '169.254.169.254/32', destinationNegated: false, target: 'REJECT', line: HOST_RULE },
    ]);
  });

  it('reads negation and quoted comments', () => {
    expect(parseIptablesRules('-A OUTPUT ! -d 169.254.169.254/32 -j DROP')[0]).toMatchObject({ destinationNegated: true, target: 'DROP' });
    expect(parseIptablesRules('-A OUTPUT -d 169.254.169.254/32 -m comment --comment "keep \\"-j ACCEPT\\" away" -j DROP')[0]).toMatchObject({ target: 'DROP', destination: '169.254.169.254/32' });
  });

  it('reads nothing from empty or error output', () => {
    expect(parseIptablesRules('')).toEqual([]);
    expect(parseIptablesRules("iptables v1.8.4 (legacy): can't initialize iptables table `filter': Permission denied (you must be root)")).toEqual([]);
  });
});

describe('the metadata guard', () => {
  it('covers the address with a /32, a wider network or no mask, and nothing else', () => {
    for (const destination of ['169.254.169.254/32', '169.254.169.254', '169.254.0.0/16', '0.0.0.0/0']) expect(coversMetadataAddress(destination), destination).toBe(true);
    for (const destination of ['169.254.169.253/32', '10.0.0.0/8', '169.254.169.254/33', 'fe80::/10', 'x']) expect(coversMetadataAddress(destination), destination).toBe(false);
  });

  it('is absent on a fresh docker host', () => {
    expect(findMetadataGuard(parseIptablesRules(DOCKER_HOST))).toEqual({ hostNetwork: null, bridgeNetwork: null });
  });

  it('tells an OUTPUT rule (host networking) from a DOCKER-USER rule (bridge networking)', () => {
    const both = findMetadataGuard(parseIptablesRules(`${DOCKER_HOST}${BRIDGE_RULE}\n${HOST_RULE}\n`));
    expect(both.hostNetwork?.line).toBe(HOST_RULE);
    expect(both.bridgeNetwork?.line).toBe(BRIDGE_RULE);
    expect(findMetadataGuard(parseIptablesRules(`${DOCKER_HOST}${BRIDGE_RULE}\n`))).toMatchObject({ hostNetwork: null, bridgeNetwork: { chain: 'DOCKER-USER' } });
    // Huawei's ECS advice: everyone but root.
    expect(findMetadataGuard(parseIptablesRules('-A OUTPUT -d 169.254.169.254/32 -m owner ! --uid-owner 0 -j REJECT --reject-with icmp-port-unreachable')).hostNetwork).not.toBeNull();
  });

  it('ignores rules that do not block the address', () => {
    for (const rule of ['-A OUTPUT ! -d 169.254.169.254/32 -j DROP', '-A OUTPUT -d 169.254.169.254/32 -j ACCEPT', '-A OUTPUT -d 10.0.0.0/8 -j DROP', '-A INPUT -d 169.254.169.254/32 -j DROP', '-A OUTPUT -j DROP']) {
      expect(findMetadataGuard(parseIptablesRules(rule)), rule).toEqual({ hostNetwork: null, bridgeNetwork: null });
    }
  });

  /** The iptables calls the fix makes, with iptables replaced by a function that prints its arguments. */
  function calls(text: string, present: boolean): string[][] {
    const out = runShell(`iptables() { printf '%s\\0' "$@"; printf '\\n'; [ "$1" != -C ] || ${present ? 'true' : 'false'}; }; ${text}`);
    return out
      .split('\n')
      .slice(0, -1)
      .map((line) => line.split('\0').slice(0, -1));
  }

  it('adds the OUTPUT rule for ma-user once, at the top of the chain', () => {
    const command = addMetadataGuard({ hostNetwork: true, containerUid: 1000 });
    expect(command.text).toBe(
      "iptables -C OUTPUT -p tcp -d '169.254.169.254' -m owner --uid-owner '1000' -j REJECT 2>/dev/null || iptables -I OUTPUT -p tcp -d '169.254.169.254' -m owner --uid-owner '1000' -j REJECT",
    );
    const rule = ['OUTPUT', '-p', 'tcp', '-d', '169.254.169.254', '-m', 'owner', '--uid-owner', '1000', '-j', 'REJECT'];
    expect(calls(command.text, false)).toEqual([
      ['-C', ...rule],
      ['-I', ...rule],
    ]);
    expect(calls(command.text, true)).toEqual([['-C', ...rule]]);
  });

  it('adds a DOCKER-USER rule for bridge networking', () => {
    expect(calls(addMetadataGuard({ hostNetwork: false, containerUid: 1000 }).text, false)).toEqual([
      ['-C', 'DOCKER-USER', '-d', '169.254.169.254', '-j', 'DROP'],
      ['-I', 'DOCKER-USER', '-d', '169.254.169.254', '-j', 'DROP'],
    ]);
  });
});
