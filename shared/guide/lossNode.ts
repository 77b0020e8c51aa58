/**
 * Which node's log holds a run's loss. The guide: "训练过程中,训练日志会在最后的Rank节点打印" —
 * when several DevServers train together the last rank (NODE_RANK = NNODES − 1) prints the loss.
 * That is MindSpeed's habit; Qwen-VL's finetune.py (HF Trainer) logs on rank 0. So the logs decide
 * when they can: once the last rank's log is seen without loss lines while another node's has
 * them, that node is followed; until any log says so, the guide's last rank is. The ranks are read
 * from each host's finetune_ds.sh as the server has it (Step 6's script facts): what the run was
 * started with.
 */
import type { HostId } from '../hosts/hostProfile';

export interface NodeRun {
  readonly hostId: HostId;
  /** NNODES and NODE_RANK as the host's finetune_ds.sh sets them; undefined before Step 6 was checked. */
  readonly nnodes: string | undefined;
  readonly nodeRank: string | undefined;
  /** The run's log on the host, once one was started there. */
  readonly hostLog: string | undefined;
  /** Loss points in the log's tail at the last status check; undefined before one. */
  readonly lossPoints: number | undefined;
}

export type LossSource =
  /** One node: its own log has the loss. */
  | { readonly kind: 'single'; readonly hostId: HostId; readonly path: string }
  /** Several nodes: the last rank's log. */
  | { readonly kind: 'last-rank'; readonly hostId: HostId; readonly path: string; readonly rank: number; readonly nodes: number }
  /** Several nodes, and the logs show the loss printed on another rank than the last. */
  | { readonly kind: 'printing-rank'; readonly hostId: HostId; readonly path: string; readonly rank: number; readonly nodes: number }
  /** The last rank is one of the hosts, but no run was started there yet. */
  | { readonly kind: 'not-started'; readonly hostId: HostId; readonly rank: number; readonly nodes: number }
  /** No host shown has the last rank (it is not ticked, or no script sets it). */
  | { readonly kind: 'no-last-rank'; readonly rank: number; readonly nodes: number }
  /** The hosts' scripts disagree, so no node can be named: NNODES differs, or a rank is set twice. */
  | { readonly kind: 'inconsistent'; readonly problem: 'nnodes-differ' | 'rank-twice'; readonly rank: number | null };

const count = (text: string | undefined): number | null => (text !== undefined && /^\d+$/.test(text) ? Number(text) : null);

/** Where the loss of `hostId`'s run is printed, among the hosts training together. */
export function lossSource(runs: readonly NodeRun[], hostId: HostId): LossSource | null {
  const own = runs.find((run) => run.hostId === hostId);
  if (!own) return null;
  const nodes = count(own.nnodes);
  if (nodes === null || nodes <= 1) return own.hostLog ? { kind: 'single', hostId, path: own.hostLog } : null;
  // Only hosts set up for a multi-node run take part; a single-node host beside them trains alone.
  const cluster = runs.filter((run) => (count(run.nnodes) ?? 1) > 1);
  if (cluster.some((run) => count(run.nnodes) !== nodes)) return { kind: 'inconsistent', problem: 'nnodes-differ', rank: null };
  const ranks = cluster.map((run) => count(run.nodeRank));
  const twice = ranks.find((rank, index) => rank !== null && ranks.indexOf(rank) !== index);
  if (twice !== undefined && twice !== null) return { kind: 'inconsistent', problem: 'rank-twice', rank: twice };
  const rank = nodes - 1;
  const last = cluster.find((run) => count(run.nodeRank) === rank);
  if (last?.hostLog && last.lossPoints === 0) {
    const printing = cluster.filter((run) => run.hostLog && (run.lossPoints ?? 0) > 0).sort((a, b) => (count(b.nodeRank) ?? -1) - (count(a.nodeRank) ?? -1))[0];
    if (printing?.hostLog) return { kind: 'printing-rank', hostId: printing.hostId, path: printing.hostLog, rank: count(printing.nodeRank) ?? 0, nodes };
  }
  if (!last) return { kind: 'no-last-rank', rank, nodes };
  if (!last.hostLog) return { kind: 'not-started', hostId: last.hostId, rank, nodes };
  return { kind: 'last-rank', hostId: last.hostId, path: last.hostLog, rank, nodes };
}
