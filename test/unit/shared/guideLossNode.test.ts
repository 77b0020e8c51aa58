import { describe, expect, it } from 'vitest';
import { lossSource } from '../../../shared/guide/lossNode';
import type { NodeRun } from '../../../shared/guide/lossNode';

const node = (hostId: string, nnodes: string | undefined, nodeRank: string | undefined, hostLog?: string, lossPoints?: number): NodeRun => ({ hostId, nnodes, nodeRank, hostLog, lossPoints });

describe('the node whose log holds the loss', () => {
  it('is the host itself when it trains alone', () => {
    expect(lossSource([node('a', '1', '0', '/ws/a.log')], 'a')).toEqual({ kind: 'single', hostId: 'a', path: '/ws/a.log' });
    // Not checked yet: nothing to follow.
    expect(lossSource([node('a', undefined, undefined)], 'a')).toBeNull();
    expect(lossSource([node('a', '1', '0')], 'a')).toBeNull();
  });

  it('is the last rank from whichever node’s run it is asked, in any order of the hosts', () => {
    const runs = [node('b', '3', '2', '/ws/b.log'), node('a', '3', '0', '/ws/a.log'), node('c', '3', '1', '/ws/c.log')];
    for (const host of ['a', 'b', 'c']) expect(lossSource(runs, host)).toEqual({ kind: 'last-rank', hostId: 'b', path: '/ws/b.log', rank: 2, nodes: 3 });
  });

  it('says when the last rank has not started its run yet', () => {
    expect(lossSource([node('a', '2', '0', '/ws/a.log'), node('b', '2', '1')], 'a')).toEqual({ kind: 'not-started', hostId: 'b', rank: 1, nodes: 2 });
  });

  it('says when no host shown is the last rank', () => {
    expect(lossSource([node('a', '3', '0', '/ws/a.log'), node('b', '3', '1', '/ws/b.log')], 'a')).toEqual({ kind: 'no-last-rank', rank: 2, nodes: 3 });
  });

  it('names no node when the scripts disagree', () => {
    expect(lossSource([node('a', '2', '0', '/ws/a.log'), node('b', '3', '1', '/ws/b.log')], 'a')).toEqual({ kind: 'inconsistent', problem: 'nnodes-differ', rank: null });
    expect(lossSource([node('a', '2', '1', '/ws/a.log'), node('b', '2', '1', '/ws/b.log')], 'b')).toEqual({ kind: 'inconsistent', problem: 'rank-twice', rank: 1 });
  });

  it('leaves a host that trains alone beside a cluster out of it', () => {
    const runs = [node('solo', '1', '0', '/ws/solo.log'), node('a', '2', '0', '/ws/a.log'), node('b', '2', '1', '/ws/b.log')];
    expect(lossSource(runs, 'solo')).toEqual({ kind: 'single', hostId: 'solo', path: '/ws/solo.log' });
    expect(lossSource(runs, 'a')).toMatchObject({ kind: 'last-rank', hostId: 'b' });
  });

  it('follows the logs over the guide once they show the loss printed on another rank', () => {
    // Qwen-VL's finetune.py logs on rank 0: the last rank's log has been read and has no loss.
    const rankZeroPrints = [node('a', '2', '0', '/ws/a.log', 40), node('b', '2', '1', '/ws/b.log', 0)];
    for (const host of ['a', 'b']) expect(lossSource(rankZeroPrints, host)).toEqual({ kind: 'printing-rank', hostId: 'a', path: '/ws/a.log', rank: 0, nodes: 2 });
    // Every node prints (HF's log_on_each_node): the guide's last rank stands.
    expect(lossSource([node('a', '2', '0', '/ws/a.log', 40), node('b', '2', '1', '/ws/b.log', 40)], 'a')).toMatchObject({ kind: 'last-rank', hostId: 'b' });
    // No log has loss lines yet, or the last rank's was not read: the guide's last rank too.
    expect(lossSource([node('a', '2', '0', '/ws/a.log', 0), node('b', '2', '1', '/ws/b.log', 0)], 'a')).toMatchObject({ kind: 'last-rank', hostId: 'b' });
    expect(lossSource([node('a', '2', '0', '/ws/a.log', 40), node('b', '2', '1', '/ws/b.log')], 'a')).toMatchObject({ kind: 'last-rank', hostId: 'b' });
    // Of several printing nodes below the last, the highest rank.
    const three = [node('a', '3', '0', '/ws/a.log', 5), node('c', '3', '1', '/ws/c.log', 5), node('b', '3', '2', '/ws/b.log', 0)];
    expect(lossSource(three, 'b')).toMatchObject({ kind: 'printing-rank', hostId: 'c', rank: 1 });
    // The last rank not among the hosts shown, but a shown node prints: that node.
    expect(lossSource([node('a', '3', '0', '/ws/a.log', 5)], 'a')).toMatchObject({ kind: 'no-last-rank' });
  });
});
