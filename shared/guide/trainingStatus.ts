/**
 * Step 6's run, launched detached in the container: its state is read back from files next to
 * its log (the pid, the exit status the wrapper writes when finetune_ds.sh ends), so it survives
 * the app closing and the SSH link dropping; the log's tail says why a run failed.
 */
import { sh } from '../remote/remoteCommand';
import { parseLog } from '../trainingLog';
import { encodeUtf8 } from '../trainingLog/utf8';
import type { Failure } from '../trainingLog';
import { failureText, outputAt } from './checkOutputs';
import type { CheckResult, ItemCheck } from './guideTypes';
import type { GuideParams } from './guideParams';
import { FAILURE_EXPLANATIONS, decisiveFailure } from './trainingFailures';
import { FINETUNE_SCRIPT, LOG_DIR, QWEN_VL_DIR, hostPathOf, inContainer } from './workPaths';

/** The name the wrapper process carries (`bash -c … qvl-train`), so a reused pid is not taken for it. */
const RUN_TAG = 'qvl-train';
const CURRENT = `${LOG_DIR}/${RUN_TAG}.current`;
const PID = `${LOG_DIR}/${RUN_TAG}.pid`;
const LOG_MARKER = '@@qvl-log@@';
/** sh: the pid file names a live process that is our wrapper (a pid may have been reused). */
const RUN_IS_LIVE = sh`{ [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && grep -qa ${RUN_TAG} "/proc/$pid/cmdline" 2>/dev/null; }`;
/** Failures sit at a log's end; 64 KiB holds a long traceback with the lines before it. */
const TAIL_BYTES = 65536;

/**
 * Starts finetune_ds.sh from the repo root in its own session (setsid: no hangup when docker exec
 * or the SSH link ends), stdout and stderr in a new log (the guide's `> log` loses tracebacks), and
 * the exit status written beside it when it ends. Python unbuffered: into a file its stdout is
 * block-buffered, so without it the loss lines would reach the log (and the loss panel) in 8 KiB
 * bursts, minutes late. Prints the log's path.
 */
export function launchCommand(params: GuideParams) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} || exit 1; mkdir -p ${LOG_DIR} || exit 1; log=${LOG_DIR}/train-$(date +%Y%m%d-%H%M%S).log; PYTHONUNBUFFERED=1 setsid nohup bash -c 'bash "$2" > "$1" 2>&1; echo $? > "$1.exit"' ${RUN_TAG} "$log" ${FINETUNE_SCRIPT} < /dev/null > /dev/null 2>&1 & echo $! > ${PID}; printf '%s\n' "$log" > ${CURRENT}; printf 'log=%s\n' "$log"`;
}

export function statusCommand(params: GuideParams) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} 2>/dev/null && [ -f ${CURRENT} ] || { echo state=none; exit 0; }; log=$(cat ${CURRENT}); pid=$(cat ${PID} 2>/dev/null); echo "log=$log"; echo "pid=$pid"; if ${RUN_IS_LIVE}; then echo state=running; elif [ -f "$log.stopped" ]; then echo state=stopped; echo "stopped=$(cat "$log.stopped")"; elif [ -f "$log.exit" ]; then echo state=exited; echo "exit=$(cat "$log.exit")"; else echo state=lost; fi; echo ${LOG_MARKER}; tail -c ${TAIL_BYTES} -- "$log" 2>/dev/null; true`;
}

/** Seconds from TERM to KILL: torchrun passes TERM on to its workers and waits for them to end. */
export const STOP_GRACE_SECONDS = 15;
/** KILL cannot be ignored, but a process blocked in the kernel only dies when the call returns. */
const KILL_WAIT_SECONDS = 5;

/**
 * awk over /proc/[0-9]*\/stat: the processes of the run's session and every process descended
 * from the wrapper. torch elastic starts each worker in a session of its own, out of reach of a
 * signal to the group, and a worker whose torchrun died is handed to init: so they are all
 * listed before any signal is sent. The command name may hold spaces and ")", hence the last ") ".
 */
const RUN_PROCESSES = String.raw`{ s = $0; sub(/^.*\) /, "", s); split(s, f, " "); parent[$1] = f[2]; session[$1] = f[4] } END { keep[root] = 1; do { grown = 0; for (p in parent) if (!(p in keep) && (parent[p] in keep || session[p] == root)) { keep[p] = 1; grown = 1 } } while (grown); for (p in keep) if (p != root) print p }`;

/** sed over /proc/PID/stat: the state letter after the command name (Z: a zombie, gone but not yet reaped). */
const PROCESS_STATE = String.raw`s/^.*) \(.\).*$/\1/p`;

/**
 * Stops the run on this node. "$log.stopped" is written first, so the status says the user ended
 * it (not a crash); then TERM to the wrapper's process group (setsid made its pid the group's id)
 * and to every process of the run, and KILL to whatever is left after the grace period. Prints
 * stop=none when nothing runs, else stop=terminated, killed or stuck, and how long TERM was given.
 */
export function stopCommand(params: GuideParams, graceSeconds = STOP_GRACE_SECONDS) {
  return sh`cd ${inContainer(params, QWEN_VL_DIR)} 2>/dev/null && [ -f ${CURRENT} ] || { echo stop=none; exit 0; }; log=$(cat ${CURRENT}); pid=$(cat ${PID} 2>/dev/null); ${RUN_IS_LIVE} || { echo stop=none; exit 0; }; date +%s > "$log.stopped"; pids=$(cat /proc/[0-9]*/stat 2>/dev/null | awk -v root="$pid" ${RUN_PROCESSES}); alive() { for p in "$pid" $pids; do case $(sed -n ${PROCESS_STATE} "/proc/$p/stat" 2>/dev/null) in '' | Z) ;; *) return 0 ;; esac; done; return 1; }; kill -TERM "-$pid" $pids 2>/dev/null; waited=0; while alive && [ "$waited" -lt ${graceSeconds} ]; do sleep 1; waited=$((waited + 1)); done; if ! alive; then echo stop=terminated; else kill -KILL "-$pid" $pids 2>/dev/null; gone=0; while alive && [ "$gone" -lt ${KILL_WAIT_SECONDS} ]; do sleep 1; gone=$((gone + 1)); done; if alive; then echo stop=stuck; else echo stop=killed; fi; fi; echo "waited=$waited"`;
}

/** `stuck`: a process outlived KILL (blocked in the kernel, such as a hung NPU driver call). */
export type StopOutcome = 'none' | 'terminated' | 'killed' | 'stuck';

export function parseStopOutput(stdout: string): { outcome: StopOutcome; waitedSeconds: number | null } {
  const outcome = /^stop=(none|terminated|killed|stuck)$/m.exec(stdout)?.[1];
  const waited = /^waited=(\d+)$/m.exec(stdout)?.[1];
  return { outcome: outcome === 'terminated' || outcome === 'killed' || outcome === 'stuck' ? outcome : 'none', waitedSeconds: waited === undefined ? null : Number(waited) };
}

/** `stopped`: the user stopped it from here (Step 6's Stop), told apart from a crash. */
export type RunState = 'none' | 'running' | 'exited' | 'stopped' | 'lost';

export interface TrainingStatus {
  readonly state: RunState;
  /** Relative to Qwen-VL/, as the launch wrote it. */
  readonly log: string | null;
  readonly pid: number | null;
  readonly exitCode: number | null;
  /** When the user stopped it, in seconds since the epoch (the server's clock). */
  readonly stoppedAt: number | null;
  readonly failures: readonly Failure[];
  /** Training points in the tail (HF Trainer's `{'loss': …}` lines). */
  readonly points: number;
}

export function parseTrainingStatus(stdout: string): TrainingStatus {
  const at = stdout.indexOf(`${LOG_MARKER}\n`);
  const head = at < 0 ? stdout : stdout.slice(0, at);
  const fields = new Map(
    head
      .split('\n')
      .map((line) => /^(\w+)=(.*)$/.exec(line))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => [match[1] ?? '', match[2] ?? '']),
  );
  const state = fields.get('state');
  const number = (key: string) => (/^-?\d+$/.test(fields.get(key) ?? '') ? Number(fields.get(key)) : null);
  const tail = at < 0 ? null : parseLog(encodeUtf8(stdout.slice(at + LOG_MARKER.length + 1)));
  return {
    state: state === 'running' || state === 'exited' || state === 'stopped' || state === 'lost' ? state : 'none',
    log: fields.get('log') || null,
    pid: number('pid'),
    exitCode: number('exit'),
    stoppedAt: number('stopped'),
    failures: tail?.failures ?? [],
    points: tail?.points.length ?? 0,
  };
}

/** Where the log is in the container and on the host (where the loss panel follows it). */
export function logPaths(params: GuideParams, log: string): { container: string; host: string | null } {
  const container = log.startsWith('/') ? log : inContainer(params, QWEN_VL_DIR, log);
  return { container, host: hostPathOf(params, container) };
}

export function trainingStatusResult(status: TrainingStatus, params: GuideParams): CheckResult {
  if (status.state === 'none' || status.log === null) {
    return { status: 'fail', summary: { zh: '还没有启动训练。', en: 'Training has not been started yet.' }, evidence: '', facts: { state: 'none' } };
  }
  const paths = logPaths(params, status.log);
  // lossPoints: whether this node's log prints the loss at all, which decides the node a multi-node run is followed on (lossNode.ts).
  const facts = { state: status.state, log: paths.container, hostLog: paths.host ?? '', pid: String(status.pid ?? ''), exitCode: String(status.exitCode ?? ''), lossPoints: String(status.points) };
  const failure = decisiveFailure(status.failures);
  const evidence = failure ? `line ${failure.line}: ${failure.text}` : paths.container;
  if (status.state === 'running') {
    return {
      status: failure ? 'warn' : 'pass',
      summary: {
        zh: `训练正在运行（pid ${status.pid}），日志 ${paths.container}。${failure ? `日志中已出现错误：${FAILURE_EXPLANATIONS[failure.kind].zh}` : ''}`,
        en: `Training is running (pid ${status.pid}), logging to ${paths.container}.${failure ? ` The log shows an error already: ${FAILURE_EXPLANATIONS[failure.kind].en}` : ''}`,
      },
      evidence,
      facts,
    };
  }
  if (status.state === 'stopped') {
    return {
      status: 'warn',
      summary: { zh: `训练已被你停止，日志 ${paths.container}。`, en: `Training was stopped by you, log ${paths.container}.` },
      evidence,
      facts: { ...facts, stoppedAt: String((status.stoppedAt ?? 0) * 1000) },
    };
  }
  if (status.state === 'exited' && status.exitCode === 0) {
    return { status: 'pass', summary: { zh: `训练已完成（退出码 0），日志 ${paths.container}。`, en: `Training finished (exit status 0), log ${paths.container}.` }, evidence, facts };
  }
  const how = status.state === 'lost' ? { zh: '训练进程已不在，且没有留下退出码（被杀死，或容器重启过）。', en: 'The training process is gone without an exit status (killed, or the container restarted).' } : { zh: `训练失败（退出码 ${status.exitCode}）。`, en: `Training failed (exit status ${status.exitCode}).` };
  const why = failure ? FAILURE_EXPLANATIONS[failure.kind] : { zh: '日志末尾没有已知的错误特征，请查看日志。', en: 'The end of the log shows no known failure: read the log.' };
  return { status: 'fail', summary: { zh: `${how.zh}${why.zh}`, en: `${how.en} ${why.en}` }, evidence, facts: failure ? { ...facts, failure: failure.kind } : facts };
}

export function trainingStatusCheck(): ItemCheck {
  return {
    commands: (params) => [statusCommand(params)],
    parse: (outputs, params) => {
      const output = outputAt(outputs, 0);
      if (output.code !== 0) return { status: 'fail', summary: { zh: '无法读取训练状态。', en: 'The training status could not be read.' }, evidence: failureText(output) };
      return trainingStatusResult(parseTrainingStatus(output.stdout), params);
    },
  };
}
