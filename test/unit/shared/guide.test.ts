import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { asRoot } from '../../../shared/guide/asRoot';
import { addMetadataGuard } from '../../../shared/guide/metadataGuard';
import { NO_CONTEXT } from '../../../shared/guide/actionInputs';
import { ENABLE_IP_FORWARD } from '../../../shared/guide/sysctl';
import { validateDockerRunForm, defaultDockerRunForm, defaultDockerRunOptions } from '../../../shared/guide/dockerRunForm';
import { GuideParams } from '../../../shared/guide/guideParams';
import { modelartsQwenVl6310 as guide } from '../../../shared/guide/modelartsQwenVl6310';
import { RemoteCommand, sh } from '../../../shared/remote/remoteCommand';
import { argsSeenByShell } from './guideShell';

const environment = guide.steps[0];
const options = defaultDockerRunOptions(guide.dockerRun);

describe('the 6.3.910 guide outline', () => {
  it('has the guide’s six steps in order, each in both languages', () => {
    expect(guide.steps.map((step) => step.id)).toEqual(['environment', 'container', 'code', 'training-env', 'dataset', 'training']);
    for (const step of guide.steps) {
      expect(step.title.zh).toMatch(/[\u4e00-\u9fff]/);
      expect(step.title.en).toMatch(/^[A-Z]/);
      expect(step.summary.zh.length).toBeGreaterThan(10);
      expect(step.summary.en.length).toBeGreaterThan(10);
    }
  });

  it('has valid defaults for its ${…} placeholders and its docker run', () => {
    expect(GuideParams.parse(guide.defaults)).toEqual(guide.defaults);
    expect(guide.defaults.image).toBe('swr.cn-southwest-2.myhuaweicloud.com/atelier/pytorch_2_1_ascend:pytorch_2.1.0-cann_8.0.rc3-py_3.9-hce_2.0.2409-aarch64-snt9b-20241112192643-c45ac6b');
    expect(validateDockerRunForm(defaultDockerRunForm(guide.defaults, guide.dockerRun)).ok).toBe(true);
  });
});

describe('Step 1 items', () => {
  it('are the ids `qvl preflight --json` reports, in order', () => {
    expect(environment?.items.map((item) => item.id)).toEqual(['ssh', 'npu-cards', 'npu-health', 'npu-free', 'driver-version', 'docker', 'docker-daemon', 'ip-forward', 'metadata-guard', 'disk']);
    expect(guide.steps[1]?.items.map((item) => item.id)).toEqual(['image', 'container', 'container-npu']);
    expect(guide.steps.slice(2).map((step) => [step.id, step.items.map((item) => item.id)])).toEqual([
      ['code', ['code-package']],
      ['training-env', ['weights', 'ownership', 'install', 'modeling']],
      ['dataset', ['dataset']],
      ['training', ['script', 'font', 'run', 'output']],
    ]);
  });

  it('each explain themselves in both languages, run on the host, and ask only for known params', () => {
    for (const item of environment?.items ?? []) {
      expect(item.title.zh, item.id).toMatch(/[\u4e00-\u9fff]/);
      expect(item.title.en, item.id).toMatch(/^[A-Z]/);
      expect(item.explanation.zh.length, item.id).toBeGreaterThan(20);
      expect(item.explanation.en.length, item.id).toBeGreaterThan(20);
      expect(item.scope).toBe('host');
      for (const param of item.params) expect(Object.keys(GuideParams.shape)).toContain(param);
      for (const command of item.check.commands(guide.defaults)) expect(command).toBeInstanceOf(RemoteCommand);
    }
    expect(environment?.items.find((item) => item.id === 'disk')?.params).toEqual(['workDir']);
  });

  it('quote the guide where it speaks', () => {
    const explanation = (id: string) => environment?.items.find((item) => item.id === id)?.explanation.zh ?? '';
    expect(explanation('npu-cards')).toContain('训练至少需要单机8卡');
    expect(explanation('npu-health')).toContain('请先正常安装固件和驱动,或释放被挂载的NPU');
    expect(explanation('driver-version')).toContain('23.0.6');
    expect(explanation('ip-forward')).toContain('配置IP转发,用于容器内的网络访问');
    expect(explanation('metadata-guard')).toContain('应限制容器访问Openstack的管理地址(169.254.169.254)');
  });

  it('offer the guide’s fixes, shown before running, confirmed, then re-checked', () => {
    const fixes = (environment?.items ?? []).filter((item) => item.fix).map((item) => [item.id, item.fix?.commands(guide.defaults, options, NO_CONTEXT).map((command) => command.text), item.fix?.confirm, item.fix?.recheck]);
    expect(fixes.map(([id, , confirm, recheck]) => [id, confirm, recheck])).toEqual([
      ['docker', true, true],
      ['ip-forward', true, true],
      ['metadata-guard', true, true],
    ]);
    const docker = environment?.items.find((item) => item.id === 'docker')?.fix?.commands(guide.defaults, options, NO_CONTEXT)[0];
    const yum = sh`yum install -y ${['docker-engine.aarch64', 'docker-engine-selinux.noarch', 'docker-runc.aarch64']}`;
    expect(docker?.text).toBe(asRoot(yum).text);
    expect(argsSeenByShell(yum.text, 'yum')).toEqual('install -y docker-engine.aarch64 docker-engine-selinux.noarch docker-runc.aarch64'.split(' '));
    expect(fixes[1]?.[1]).toEqual(ENABLE_IP_FORWARD.map((command) => asRoot(command).text));
    expect(fixes[2]?.[1]).toEqual([
      asRoot(addMetadataGuard({ hostNetwork: true, containerUid: 1000 })).text,
    ]);
    expect(addMetadataGuard({ hostNetwork: true, containerUid: 1000 }).text).toBe(
      "iptables -C OUTPUT -p tcp -d '169.254.169.254' -m owner --uid-owner '1000' -j REJECT 2>/dev/null || iptables -I OUTPUT -p tcp -d '169.254.169.254' -m owner --uid-owner '1000' -j REJECT",
    );
    for (const item of environment?.items ?? []) {
      if (item.fix) expect(item.fix.explanation.zh, item.id).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('run their fixes as root: directly for root, through sudo -n for anyone else (redirections included)', () => {
    const bin = mkdtempSync(join(tmpdir(), 'qvl-asroot-'));
    try {
      const fake = (name: string, body: string) => {
        writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
        chmodSync(join(bin, name), 0o755);
      };
      fake('sudo', 'echo "sudo $1" >> "$LOG"; shift; exec "$@"');
      const command = asRoot(sh`echo 'net.ipv4.ip_forward=1' >> "$OUT"`);
      for (const [uid, sudoLines] of [
        ['1000', 'sudo -n\n'],
        ['0', ''],
      ] as const) {
        fake('id', `echo ${uid}`);
        const env = { PATH: `${bin}:/usr/bin:/bin`, LOG: join(bin, `log-${uid}`), OUT: join(bin, `out-${uid}`) };
        writeFileSync(env.LOG, '');
        execFileSync('/bin/sh', ['-c', command.text], { env });
        expect(readFileSync(env.OUT, 'utf8')).toBe('net.ipv4.ip_forward=1\n');
        expect(readFileSync(env.LOG, 'utf8')).toBe(sudoLines);
      }
    } finally {
      rmSync(bin, { recursive: true, force: true });
    }
  });
});
