/**
 * Keeping containers away from the OpenStack metadata address 169.254.169.254 (the guide: "应限制
 * 容器访问Openstack的管理地址(169.254.169.254),以防止容器获取宿主机的元数据").
 *
 * The guide starts its container with --net=host, so container traffic leaves through the OUTPUT
 * chain like the host's own: a rule in DOCKER-USER (the usual advice, for bridge networks) never
 * sees it. For host networking the rule matches the container user's uid (ma-user, 1000); it
 * cannot tell a container's root from the host's root.
 */
import { sh } from '../remote/remoteCommand';
import type { RemoteCommand } from '../remote/remoteCommand';

export const METADATA_ADDRESS = '169.254.169.254';

export const LIST_FILTER_RULES = sh`iptables -S`;

export interface IptablesRule {
  readonly chain: string;
  readonly destination: string | null;
  readonly destinationNegated: boolean;
  readonly target: string | null;
  readonly line: string;
}

/** Words of an `iptables -S` line; comments are printed in double quotes. */
function words(line: string): string[] {
  return [...line.matchAll(/"((?:[^"\\]|\\.)*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '');
}

/** `-A CHAIN …` lines of `iptables -S`; policies and chain declarations are skipped. */
export function parseIptablesRules(text: string): IptablesRule[] {
  return text.split(/\r?\n/).flatMap((rawLine) => {
    const line = rawLine.trim();
    const tokens = words(line);
    if (tokens[0] !== '-A' || tokens[1] === undefined) return [];
    let destination: string | null = null;
    let destinationNegated = false;
    let target: string | null = null;
    for (let index = 2; index < tokens.length; index++) {
      const token = tokens[index];
      const negated = tokens[index - 1] === '!';
      if (token === '-d' || token === '--destination') {
        destination = tokens[index + 1] ?? null;
        destinationNegated = negated;
      } else if (token === '-j' || token === '--jump') {
        target = tokens[index + 1] ?? null;
      }
    }
    return [{ chain: tokens[1], destination, destinationNegated, target, line }];
  });
}

function ipv4(address: string): number | null {
  const parts = address.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return null;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** True when `destination` ("169.254.169.254/32", "169.254.0.0/16") includes the metadata address. */
export function coversMetadataAddress(destination: string): boolean {
  const [address = '', bits = '32'] = destination.split('/');
  const network = ipv4(address);
  const metadata = ipv4(METADATA_ADDRESS);
  const prefix = Number(bits);
  if (network === null || metadata === null || !Number.isInteger(prefix) || prefix < 0 || prefix > 32) return false;
  const size = 2 ** (32 - prefix);
  return Math.floor(network / size) === Math.floor(metadata / size);
}

export interface MetadataGuard {
  /** A DROP or REJECT in OUTPUT: what protects --net=host containers like the guide's. */
  readonly hostNetwork: IptablesRule | null;
  /** A DROP or REJECT in DOCKER-USER or FORWARD: protects bridge-network containers only. */
  readonly bridgeNetwork: IptablesRule | null;
}

const BLOCKING = new Set(['DROP', 'REJECT']);

export function findMetadataGuard(rules: readonly IptablesRule[]): MetadataGuard {
  const blocking = (chains: readonly string[]): IptablesRule | null =>
    rules.find(
      (rule) => chains.includes(rule.chain) && rule.destination !== null && !rule.destinationNegated && coversMetadataAddress(rule.destination) && BLOCKING.has(rule.target ?? ''),
    ) ?? null;
  return { hostNetwork: blocking(['OUTPUT']), bridgeNetwork: blocking(['DOCKER-USER', 'FORWARD']) };
}

/**
 * Adds the rule unless it is there (-C), at the top of its chain (-I) so an earlier ACCEPT cannot
 * let the traffic through. Host networking needs OUTPUT and the container user's uid; bridge
 * networking, DOCKER-USER. Not kept across a reboot.
 */
export function addMetadataGuard(options: { readonly hostNetwork: boolean; readonly containerUid: number }): RemoteCommand {
  const rule = options.hostNetwork
    ? sh`OUTPUT -p tcp -d ${METADATA_ADDRESS} -m owner --uid-owner ${options.containerUid} -j REJECT`
    : sh`DOCKER-USER -d ${METADATA_ADDRESS} -j DROP`;
  return sh`iptables -C ${rule} 2>/dev/null || iptables -I ${rule}`;
}
