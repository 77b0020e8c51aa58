import { describe, expect, it } from 'vitest';
import { initialTrainingForm, nodeForms } from '../../../renderer/src/features/guide/laterSteps';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import type { HostProfile } from '../../../shared/hosts/hostProfile';

const params = guide.defaults;
const host = (id: string, address: string) => ({ id, name: id, host: address }) as HostProfile;

describe('Step 6’s form', () => {
  it('starts from the script’s values, its placeholders replaced by the wizard’s weights and dataset', () => {
    const stock = { model: 'Qwen/Qwen-VL-Chat', data: 'path_to_data', epochs: '5', learningRate: '1e-5', autoPrefetchBucket: 'true' };
    const form = initialTrainingForm(stock, params, '/home/ma-user/ws/data/train.json');
    expect(form).toMatchObject({ model: '/home/ma-user/ws/Qwen-VL-Chat', data: '/home/ma-user/ws/data/train.json', epochs: '5', fixPrefetchBucket: true });
    const edited = initialTrainingForm({ ...stock, model: '/models/chat', data: '/data/mine.json', epochs: '2', autoPrefetchBucket: 'false' }, params, '/x.json');
    expect(edited).toMatchObject({ model: '/models/chat', data: '/data/mine.json', epochs: '2', fixPrefetchBucket: false });
  });

  it('gives several hosts one run: NNODES their number, NODE_RANK their order, MASTER_ADDR the first’s', () => {
    const hosts = [host('a', '10.0.0.1'), host('b', '10.0.0.2'), host('c', '10.0.0.3')];
    const base = initialTrainingForm(undefined, params, '/d.json');
    const forms = nodeForms(hosts, { a: base, b: base, c: { ...base, masterPort: '7000' } }, '192.168.1.1');
    expect(hosts.map((one) => [forms[one.id]?.nnodes, forms[one.id]?.nodeRank, forms[one.id]?.masterAddr])).toEqual([
      ['3', '0', '192.168.1.1'],
      ['3', '1', '192.168.1.1'],
      ['3', '2', '192.168.1.1'],
    ]);
    expect(forms.c?.masterPort).toBe('7000');
    // One host keeps what the user wrote.
    expect(nodeForms([hosts[0] as HostProfile], { a: { ...base, masterAddr: 'localhost' } }, '192.168.1.1').a).toMatchObject({ nnodes: '1', nodeRank: '0', masterAddr: 'localhost' });
  });
});
