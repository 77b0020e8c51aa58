// Upload throughput: our SFTP engine against OpenSSH's own `sftp` client on the same file, to the
// simulated DevServer's real sshd; then on a link with 50 ms of added round-trip time (a delaying
// TCP proxy: this kernel has no netem) against a one-request-at-a-time upload.
// QVL_BENCH_UPLOAD_MB (default 1024) and QVL_BENCH_LATENCY_MB (default 64) set the file sizes;
// QVL_BENCH_ROUNDS (default 3) how often both clients run, back to back, alternating who goes first;
// QVL_BENCH_CONNECTIONS (default 2) how many connections of their own (worker threads) our big upload uses.
// Other work on the machine moves the absolute numbers, so each round prints its own ratio, the
// load average, and CPU seconds per GiB (load-independent): the client's, and the server's
// (sshd and what it ran, such as our remote hashing), sampled from /proc by a separate process.
import { execFile, spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { uploadFile } from '../electron/main/services/transfer/fileTransfer';
import { uploadPath } from '../electron/main/services/transfer/transferJob';
import { startDevServer } from '../test/devserver/simulatedDevServer';
import { keyHop, noPrompts, openSession, trustingPolicy } from '../test/support/sshTestKit';
import { startTcpProxy } from '../test/support/tcpProxy';

const MB = 1024 * 1024;
const uploadMb = Number(process.env.QVL_BENCH_UPLOAD_MB ?? 1024);
const latencyMb = Number(process.env.QVL_BENCH_LATENCY_MB ?? 64);
const rounds = Number(process.env.QVL_BENCH_ROUNDS ?? 3);
const connections = Number(process.env.QVL_BENCH_CONNECTIONS ?? 2);
const CLOCK_TICKS = 100;

function makeFile(dir: string, mb: number): string {
  const path = join(dir, `payload-${mb}.bin`);
  const block = randomBytes(MB);
  writeFileSync(path, '');
  for (let i = 0; i < mb; i++) writeFileSync(path, block, { flag: 'a' });
  return path;
}

const rate = (bytes: number, seconds: number) => bytes / MB / seconds;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const loadAverage = () => readFileSync('/proc/loadavg', 'utf8').split(' ')[0];

/** Fields of /proc/<pid>/stat after the command name, which may contain spaces. */
function procStat(pid: number | 'self'): string[] {
  const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return text.slice(text.lastIndexOf(') ') + 2).split(' ');
}

/** CPU seconds of the children this process has waited for (sftp and its ssh). */
function reapedChildrenCpu(): number {
  const fields = procStat('self');
  return (Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
}

/** The sshd the simulated DevServer started: our child named sshd. */
function sshdPid(): number {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const text = readFileSync(`/proc/${entry}/stat`, 'utf8');
      if (text.includes('(sshd)') && Number(procStat(Number(entry))[1]) === process.pid) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  throw new Error('The simulated DevServer has no sshd child');
}

// Runs in its own process so that sampling costs neither client anything. Session processes of
// sshd outlive their parents (and so are never counted in its reaped-children time); this sums
// the CPU time every descendant used since the last reset (as last seen), counting an ended
// process only where its parent was not watched (else the parent's reaped-children time holds it).
const SAMPLER = `
const { readFileSync, readdirSync } = require('node:fs');
const root = Number(process.argv[1]);
const seen = new Map();
const read = (pid) => { const t = readFileSync('/proc/' + pid + '/stat', 'utf8'); const f = t.slice(t.lastIndexOf(') ') + 2).split(' ');
  return { parent: Number(f[1]), cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / ${CLOCK_TICKS} }; };
function sample() {
  for (const p of seen.values()) p.alive = false;
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!pid || pid === root) continue;
    let info; try { info = read(pid); } catch { continue; }
    const known = seen.get(pid);
    if (!known && info.parent !== root && !seen.has(info.parent)) { let grand = -1; try { grand = read(info.parent).parent; } catch {} if (grand !== root) continue; }
    seen.set(pid, { parent: known ? known.parent : info.parent, base: known ? known.base : 0, cpu: info.cpu, alive: true });
  }
}
setInterval(sample, 40);
process.on('message', (m) => {
  sample();
  if (m === 'reset') { for (const [pid, p] of seen) { if (p.alive) p.base = p.cpu; else seen.delete(pid); } }
  let t = 0; for (const p of seen.values()) if (p.alive || !seen.has(p.parent)) t += p.cpu - p.base;
  process.send(t);
});
process.on('disconnect', () => process.exit(0));`;

function startSampler(root: number): { ask: (what: 'reset' | 'total') => Promise<number>; stop: () => void } {
  const child: ChildProcess = spawn(process.execPath, ['-e', SAMPLER, String(root)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return {
    ask: (what) =>
      new Promise((resolve) => {
        child.once('message', (value) => resolve(Number(value)));
        child.send(what);
      }),
    stop: () => child.kill(),
  };
}

interface Run {
  seconds: number;
  /** Until the last byte was acknowledged, sampled at the 5 Hz progress rate (±0.2 s). */
  wireSeconds?: number;
  clientCpu: number;
  serverCpu: number;
}

const server = await startDevServer({ name: 'bench' });
const sampler = startSampler(sshdPid());
const local = mkdtempSync(join(tmpdir(), 'qvl-bench-local-'));
const remote = mkdtempSync(join(tmpdir(), 'qvl-bench-remote-'));
chmodSync(remote, 0o777);
try {
  const big = makeFile(local, uploadMb);
  const known = join(local, 'known_hosts');
  writeFileSync(known, `${server.knownHostsLine}\n`);
  const batch = join(local, 'batch');
  writeFileSync(batch, `put ${big} ${remote}/openssh.bin\n`);
  const bytes = uploadMb * MB;
  const gib = bytes / (1024 * MB);

  // Baseline: OpenSSH's sftp with its defaults (64 requests of 32 KiB in flight, its own cipher choice).
  const openssh = async (): Promise<Run> => {
    rmSync(join(remote, 'openssh.bin'), { force: true });
    await sampler.ask('reset');
    const cpu = reapedChildrenCpu();
    const started = performance.now();
    await promisify(execFile)('sftp', ['-q', '-b', batch, '-i', server.clientKey, '-P', String(server.port), '-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=yes', `${server.user}@127.0.0.1`]);
    const seconds = (performance.now() - started) / 1000;
    return { seconds, clientCpu: reapedChildrenCpu() - cpu, serverCpu: await sampler.ask('total') };
  };

  let negotiated = '';
  const ours = async (): Promise<Run> => {
    rmSync(join(remote, 'ours.bin'), { force: true });
    const session = await openSession([keyHop(server)]);
    negotiated = session.algorithms.cipher;
    await sampler.ask('reset');
    const cpu = process.cpuUsage();
    const started = performance.now();
    let allSentAt = 0;
    const summary = await uploadPath(session, big, `${remote}/ours.bin`, {
      connections: { count: connections, options: { hops: [keyHop(server)], hostKeyPolicy: trustingPolicy().policy, prompter: noPrompts, readyTimeoutMs: 10_000 } },
      onProgress: (progress) => {
        if (progress.doneBytes === progress.totalBytes && !allSentAt) allSentAt = performance.now();
      },
    });
    const seconds = (performance.now() - started) / 1000;
    const used = process.cpuUsage(cpu);
    const serverCpu = await sampler.ask('total');
    session.close();
    if (!summary.verified) throw new Error('The upload was not verified');
    return { seconds, wireSeconds: (allSentAt - started) / 1000, clientCpu: (used.user + used.system) / 1e6, serverCpu };
  };

  const how = connections > 0 ? `${connections} connections of their own in worker threads` : 'the session alone';
  console.log(`local sshd, ${uploadMb} MiB, ${rounds} rounds (OpenSSH sftp: no verification; Qwen-VL Studio: ${how}, sha256 verified on both ends, atomic rename)`);
  const ratios: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const load = loadAverage();
    let theirs: Run;
    let mine: Run;
    if (round % 2 === 0) {
      theirs = await openssh();
      mine = await ours();
    } else {
      mine = await ours();
      theirs = await openssh();
    }
    const ratio = theirs.seconds / mine.seconds;
    const wire = mine.wireSeconds ?? mine.seconds;
    ratios.push(ratio);
    console.log(
      `  round ${round + 1} (load ${load}): OpenSSH sftp ${rate(bytes, theirs.seconds).toFixed(1)} MiB/s, Qwen-VL Studio ${rate(bytes, mine.seconds).toFixed(1)} MiB/s end to end ` +
        `(bytes on the wire ${rate(bytes, wire).toFixed(1)}, ${negotiated}) — ratio ${ratio.toFixed(2)}× (wire ${(theirs.seconds / wire).toFixed(2)}×); ` +
        `CPU s/GiB client ${(theirs.clientCpu / gib).toFixed(2)} vs ${(mine.clientCpu / gib).toFixed(2)}, server ${(theirs.serverCpu / gib).toFixed(2)} vs ${(mine.serverCpu / gib).toFixed(2)}`,
    );
  }
  console.log(`  median ratio ${median(ratios).toFixed(2)}× (${ratios.map((r) => r.toFixed(2)).join(', ')})`);

  // 50 ms of added round-trip time: here the requests in flight decide, not the CPU.
  const small = makeFile(local, latencyMb);
  const proxy = await startTcpProxy(server.port, { delayMs: 25 });
  const slow = await openSession([keyHop(server, proxy.port)]);
  const rtt = await slow.ping();
  let started = performance.now();
  await uploadPath(slow, small, `${remote}/pipelined.bin`);
  const pipelinedSeconds = (performance.now() - started) / 1000;
  const lane = await slow.sftp();
  started = performance.now();
  await uploadFile(small, `${remote}/one-at-a-time.bin`, { session: slow, lanes: [lane], requestsPerLane: 1, onBytes: () => undefined });
  const serialSeconds = (performance.now() - started) / 1000;
  slow.close();
  writeFileSync(batch, `put ${small} ${remote}/openssh-slow.bin\n`);
  started = performance.now();
  await promisify(execFile)('sftp', ['-q', '-b', batch, '-i', server.clientKey, '-P', String(proxy.port), '-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=no', `${server.user}@127.0.0.1`]);
  const opensshSlowSeconds = (performance.now() - started) / 1000;
  await proxy.close();
  const smallBytes = latencyMb * MB;
  console.log(
    `RTT ${rtt.toFixed(0)} ms, ${latencyMb} MiB: one request at a time ${rate(smallBytes, serialSeconds).toFixed(1)} MiB/s; Qwen-VL Studio ${rate(smallBytes, pipelinedSeconds).toFixed(1)} MiB/s; ratio ${(serialSeconds / pipelinedSeconds).toFixed(2)}×; ` +
      `OpenSSH sftp ${rate(smallBytes, opensshSlowSeconds).toFixed(1)} MiB/s (ratio to it ${(opensshSlowSeconds / pipelinedSeconds).toFixed(2)}×)`,
  );
} finally {
  sampler.stop();
  await server.stop();
  rmSync(local, { recursive: true, force: true });
  rmSync(remote, { recursive: true, force: true });
}
