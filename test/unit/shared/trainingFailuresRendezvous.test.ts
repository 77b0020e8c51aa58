import { describe, expect, it } from 'vitest';
import { FAILURE_EXPLANATIONS, decisiveFailure } from '../../../shared/guide/trainingFailures';
import { parseLog } from '../../../shared/trainingLog';
import { bytesOf } from './trainingLogSupport';

// torchrun's rendezvous across nodes fails in c10d's TCPStore; the lines are torch's own, as users
// reported them (pytorch#111805, lllyasviel/ControlNet#382) and as torch 2.1 words the master's wait.
const kinds = (log: string) => parseLog(bytesOf(log)).failures.map((failure) => failure.kind);

describe('rendezvous failures between nodes', () => {
  it('names a node that never reached the master, in glog and in Python form', () => {
    expect(kinds('[E socket.cpp:793] [c10d] The client socket has timed out after 1800s while trying to connect to (127.0.0.1, 48391).\n')).toEqual(['rendezvous-timeout']);
    expect(kinds('TimeoutError: The client socket has timed out after 1800s while trying to connect to (127.0.0.1, 48391).\n')).toEqual(['rendezvous-timeout']);
    expect(kinds('torch.distributed.DistNetworkError: The client socket has timed out after 900s while trying to connect to (192.168.0.12, 29500).\n')).toEqual(['rendezvous-timeout']);
  });

  it('names a master that waited in vain for the other nodes, old and new wording', () => {
    expect(kinds('RuntimeError: Timed out after 901 seconds waiting for clients. 1/2 clients joined.\n')).toEqual(['rendezvous-timeout']);
    expect(kinds('torch.distributed.DistStoreError: Timed out after 6 seconds waiting for workers. 1/2 workers joined.\n')).toEqual(['rendezvous-timeout']);
  });

  it('names a master port already taken', () => {
    const line = 'torch.distributed.DistNetworkError: The server socket has failed to listen on any local network address. The server socket has failed to bind to [::]:29500 (errno: 98 - Address already in use). The server socket has failed to bind to 0.0.0.0:29500 (errno: 98 - Address already in use).\n';
    expect(kinds(line)).toEqual(['master-port-in-use']);
    expect(FAILURE_EXPLANATIONS['master-port-in-use'].en).toContain('MASTER_PORT');
  });

  it('is the decisive failure over the traceback around it and torchrun’s report', () => {
    const log = [
      'Traceback (most recent call last):',
      '  File "/home/ma-user/anaconda3/envs/PyTorch-2.1.0/lib/python3.9/site-packages/torch/distributed/rendezvous.py", line 174, in _create_c10d_store',
      '    return TCPStore(',
      'torch.distributed.DistNetworkError: The client socket has timed out after 900s while trying to connect to (192.168.0.12, 29500).',
      'ERROR:torch.distributed.elastic.multiprocessing.api:failed (exitcode: 1) local_rank: 0 (pid: 4242) of binary: /home/ma-user/anaconda3/envs/PyTorch-2.1.0/bin/python',
      '',
    ].join('\n');
    const failures = parseLog(bytesOf(log)).failures;
    expect(decisiveFailure(failures)?.kind).toBe('rendezvous-timeout');
    expect(FAILURE_EXPLANATIONS['rendezvous-timeout'].zh).toContain('MASTER_ADDR');
  });
});
