import type { GuideParams } from '../../../../shared/guide/guideParams';
import { SCRIPT_FIELDS } from '../../../../shared/guide/finetuneScript';
import type { NodeRun } from '../../../../shared/guide/lossNode';
import { forNode } from '../../../../shared/guide/trainingForm';
import type { TrainingField, TrainingForm } from '../../../../shared/guide/trainingForm';
import type { HostProgress, ItemResult, WizardProgress } from '../../../../shared/guide/wizardApi';
import { WEIGHTS_DIR, joinPath } from '../../../../shared/guide/workPaths';
import type { HostId, HostProfile } from '../../../../shared/hosts/hostProfile';
import { hostProgress } from './guideProgress';

/** Steps 3–6, shown as a check and its actions per host. */
export const LATER_STEPS = ['code', 'training-env', 'dataset', 'training'] as const;

/** The answers a host's later steps run with: the ones it was last checked or acted on with, else Step 1's. */
export function paramsOf(saved: HostProgress, fallback: GuideParams): GuideParams {
  return saved.params ?? fallback;
}

export function resultsOf(saved: HostProgress, stepId: string): Map<string, ItemResult> {
  return new Map((saved.steps[stepId]?.items ?? []).map((item) => [item.id, item]));
}

/**
 * The form as the script on the server has it (the script item's facts), MODEL and DATA pointing at
 * the wizard's weights folder and dataset where the script still has its placeholders.
 */
export function initialTrainingForm(facts: Readonly<Record<string, string>> | undefined, params: GuideParams, dataset: string): TrainingForm {
  const fromScript = Object.fromEntries(SCRIPT_FIELDS.flatMap((field) => (facts?.[field] === undefined ? [] : [[field, facts[field]]]))) as Partial<Record<TrainingField, string>>;
  const model = fromScript.model === undefined || fromScript.model === 'Qwen/Qwen-VL-Chat' ? joinPath(params.containerWorkDir, WEIGHTS_DIR) : fromScript.model;
  const data = fromScript.data === undefined || fromScript.data === 'path_to_data' ? dataset : fromScript.data;
  return {
    outputDir: 'output_qwen',
    epochs: '5',
    batchSize: '1',
    gradientAccumulation: '16',
    learningRate: '1e-5',
    saveSteps: '1000',
    deepspeed: 'finetune/ds_config_zero3.json',
    gpusPerNode: '8',
    nnodes: '1',
    nodeRank: '0',
    masterAddr: 'localhost',
    masterPort: '6001',
    ...fromScript,
    model,
    data,
    fixPrefetchBucket: facts?.autoPrefetchBucket !== 'false',
  };
}

/**
 * With several hosts selected they train one model: NNODES is their number, NODE_RANK their order
 * in the list, MASTER_ADDR the first one's address (editable: a cluster often talks over another
 * network than SSH does).
 */
export function nodeForms(hosts: readonly HostProfile[], forms: Readonly<Record<HostId, TrainingForm>>, masterAddr: string): Record<HostId, TrainingForm> {
  const result: Record<HostId, TrainingForm> = {};
  hosts.forEach((host, rank) => {
    const form = forms[host.id];
    if (form) result[host.id] = hosts.length > 1 ? forNode(form, rank, hosts.length, masterAddr) : form;
  });
  return result;
}

/** Each host's ranks as its finetune_ds.sh has them, and its run's log: what lossSource decides from. */
export function nodeRuns(hosts: readonly HostProfile[], progress: WizardProgress, stepId: string): NodeRun[] {
  return hosts.map((host) => {
    const results = resultsOf(hostProgress(progress, host.id), stepId);
    const script = results.get('script')?.facts;
    const run = results.get('run')?.facts;
    const lossPoints = run?.lossPoints;
    return { hostId: host.id, nnodes: script?.nnodes, nodeRank: script?.nodeRank, hostLog: run?.hostLog, lossPoints: lossPoints === undefined ? undefined : Number(lossPoints) };
  });
}
