// Upload throughput: our SFTP engine against OpenSSH's own `sftp` client on the same file, to the
// simulated DevServer's real sshd; then on a link with 50 ms of added round-trip time (a delaying
// TCP proxy: this kernel has no netem) against a one-request-at-a-time upload.
// QVL_BENCH_UPLOAD_MB (default 1024) and QVL_BENCH_LATENCY_MB (default 64) set the file sizes.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { uploadFile } from '../electron/main/services/transfer/fileTransfer';
import { uploadPath } from '../electron/main/services/transfer/transferJob';
import { startDevServer } from '../test/devserver/simulatedDevServer';
import { keyHop, openSession } from '../test/support/sshTestKit';
import { startTcpProxy } from '../test/support/tcpProxy';

const MB = 1024 * 1024;
const uploadMb = Number(process.env.QVL_BENCH_UPLOAD_MB ?? 1024);
const latencyMb = Number(process.env.QVL_BENCH_LATENCY_MB ?? 64);

function makeFile(dir: string, mb: number): string {
  const path = join(dir, `payload-${mb}.bin`);
  const block = randomBytes(MB);
  writeFileSync(path, '');
  for (let i = 0; i < mb; i++) writeFileSync(path, block, { flag: 'a' });
  return path;
}

const rate = (bytes: number, seconds: number) => bytes / MB / seconds;

const server = await startDevServer({ name: 'bench' });
const local = mkdtempSync(join(tmpdir(), 'qvl-bench-local-'));
const remote = mkdtempSync(join(tmpdir(), 'qvl-bench-remote-'));
chmodSync(remote, 0o777);
try {
  const big = makeFile(local, uploadMb);
  const known = join(local, 'known_hosts');
  writeFileSync(known, `${server.knownHostsLine}\n`);

  // Baseline: OpenSSH's sftp, its defaults (64 requests of 32 KiB in flight).
  const batch = join(local, 'batch');
  writeFileSync(batch, `put ${big} ${remote}/openssh.bin\n`);
  let started = performance.now();
  execFileSync('sftp', ['-q', '-b', batch, '-i', server.clientKey, '-P', String(server.port), '-o', `UserKnownHostsFile=${known}`, '-o', 'StrictHostKeyChecking=yes', `${server.user}@127.0.0.1`], { stdio: 'ignore' });
  const opensshSeconds = (performance.now() - started) / 1000;

  const session = await openSession([keyHop(server)]);
  started = performance.now();
  let allSentAt = 0;
  const ours = await uploadPath(session, big, `${remote}/ours.bin`, {
    onProgress: (progress) => {
      if (progress.doneBytes === progress.totalBytes && !allSentAt) allSentAt = performance.now();
    },
  });
  const oursSeconds = (performance.now() - started) / 1000;
  // Sampled at the 5 Hz progress rate: the moment the last byte was acknowledged, ±0.2 s.
  const sendSeconds = (allSentAt - started) / 1000;
  session.close();
  const bytes = uploadMb * MB;
  console.log(`local sshd, ${uploadMb} MiB: OpenSSH sftp ${rate(bytes, opensshSeconds).toFixed(1)} MiB/s (no verification)`);
  console.log(`  Qwen-VL Studio end to end ${rate(bytes, oursSeconds).toFixed(1)} MiB/s (sha256 verified on both ends: ${ours.verified}, atomic rename) — ratio ${(opensshSeconds / oursSeconds).toFixed(2)}×`);
  console.log(`  Qwen-VL Studio bytes on the wire ${rate(bytes, sendSeconds).toFixed(1)} MiB/s — ratio ${(opensshSeconds / sendSeconds).toFixed(2)}×`);

  // 50 ms of added round-trip time.
  const small = makeFile(local, latencyMb);
  const proxy = await startTcpProxy(server.port, { delayMs: 25 });
  const slow = await openSession([keyHop(server, proxy.port)]);
  const rtt = await slow.ping();
  started = performance.now();
  await uploadPath(slow, small, `${remote}/pipelined.bin`);
  const pipelinedSeconds = (performance.now() - started) / 1000;
  const lane = await slow.sftp();
  started = performance.now();
  await uploadFile(small, `${remote}/one-at-a-time.bin`, { session: slow, lanes: [lane], requestsPerLane: 1, onBytes: () => undefined });
  const serialSeconds = (performance.now() - started) / 1000;
  slow.close();
  await proxy.close();
  const smallBytes = latencyMb * MB;
  console.log(`RTT ${rtt.toFixed(0)} ms, ${latencyMb} MiB: one request at a time ${rate(smallBytes, serialSeconds).toFixed(1)} MiB/s; Qwen-VL Studio ${rate(smallBytes, pipelinedSeconds).toFixed(1)} MiB/s; ratio ${(serialSeconds / pipelinedSeconds).toFixed(2)}×`);
} finally {
  await server.stop();
  rmSync(local, { recursive: true, force: true });
  rmSync(remote, { recursive: true, force: true });
}
