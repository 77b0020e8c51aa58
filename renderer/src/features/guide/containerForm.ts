/**
 * Step 2's form on one host: the guide's parameters and the container's options as the user edits
 * them, checked on every keystroke by the same rules the main process applies before it runs.
 */
import { DockerRunOptions, validateDockerRunForm } from '../../../../shared/guide/dockerRunForm';
import type { DockerMount } from '../../../../shared/guide/dockerRunForm';
import { localizeIssues } from '../../../../shared/guide/fieldRules';
import type { FieldError } from '../../../../shared/guide/fieldRules';
import { GuideParams } from '../../../../shared/guide/guideParams';
import type { ParamId } from '../../../../shared/guide/guideParams';
import type { HostProgress } from '../../../../shared/guide/wizardApi';
import type { LocalizedText } from '../../../../shared/i18n/localizedText';

export interface ContainerAnswers {
  readonly params: GuideParams;
  readonly options: DockerRunOptions;
}

/** /dev/davinci0 to /dev/davinci7 of an 8-NPU server. */
export const NPU_CHOICES: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7];

/** The host's last answers, else Step 1's and the guide's options. */
export function initialAnswers(host: HostProgress, params: GuideParams, options: DockerRunOptions): ContainerAnswers {
  return { params: host.params ?? params, options: host.options ?? options };
}

export function withNpuToggled(options: DockerRunOptions, npu: number): DockerRunOptions {
  const npus = options.npus.includes(npu) ? options.npus.filter((known) => known !== npu) : [...options.npus, npu].sort((a, b) => a - b);
  return { ...options, npus };
}

export function withMountChanged(options: DockerRunOptions, index: number, change: Partial<DockerMount>): DockerRunOptions {
  return { ...options, mounts: options.mounts.map((mount, at) => (at === index ? { ...mount, ...change } : mount)) };
}

export function withMountRemoved(options: DockerRunOptions, index: number): DockerRunOptions {
  return { ...options, mounts: options.mounts.filter((_, at) => at !== index) };
}

export function withMountAdded(options: DockerRunOptions): DockerRunOptions {
  return { ...options, mounts: [...options.mounts, { host: '', container: '', readOnly: false }] };
}

/** The form's own mistakes, before the server is asked. */
export function formErrors(answers: ContainerAnswers): readonly FieldError[] {
  const result = validateDockerRunForm({ ...answers.params, ...answers.options });
  return result.ok ? [] : result.errors;
}

/** The first message for each field (`containerName`, `mounts.1.host`, '' for the whole form). */
export function messagesByField(errors: readonly FieldError[]): ReadonlyMap<string, LocalizedText> {
  const byField = new Map<string, LocalizedText>();
  for (const { field, message } of errors) if (!byField.has(field)) byField.set(field, message);
  return byField;
}

/** Messages about `npus.<i>` belong to the card options.npus[i], wherever its box is. */
export function npuMessages(options: DockerRunOptions, errors: readonly FieldError[]): ReadonlyMap<number, LocalizedText> {
  const byNpu = new Map<number, LocalizedText>();
  for (const { field, message } of errors) {
    const index = /^npus\.(\d+)$/.exec(field)?.[1];
    const npu = index === undefined ? undefined : options.npus[Number(index)];
    if (npu !== undefined && !byNpu.has(npu)) byNpu.set(npu, message);
  }
  return byNpu;
}

/**
 * Answers the main process accepts: each parameter as typed when it passes its rule, else the
 * fallback's. A pull needs only a valid image, whatever the container form holds meanwhile.
 */
export function usableAnswers(answers: ContainerAnswers, fallback: ContainerAnswers): ContainerAnswers {
  const params = { ...fallback.params };
  for (const id of Object.keys(GuideParams.shape) as ParamId[]) {
    if (GuideParams.shape[id].safeParse(answers.params[id]).success) params[id] = answers.params[id];
  }
  return { params, options: DockerRunOptions.safeParse(answers.options).success ? answers.options : fallback.options };
}

/** Why one parameter breaks its rule, or null. */
export function paramError(id: ParamId, value: string): LocalizedText | null {
  const parsed = GuideParams.shape[id].safeParse(value);
  return parsed.success ? null : (localizeIssues(parsed.error)[0]?.message ?? null);
}
