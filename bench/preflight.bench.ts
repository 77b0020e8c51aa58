// Preflight (Step 1 of the guide) of 8 simulated DevServers at once against one alone, each time
// from a fresh connection, as `qvl preflight` does. Target: 8 hosts take at most 1.5x one host.
// Real DevServers are 8 machines across a network; here all 8 sshds share this machine's 2 cores,
// so the run is shown twice: on bare loopback (server CPU adds up) and with 20 ms of round-trip
// time through a delaying proxy (closer to a DevServer in a cloud region).
import { modelartsQwenVl6310 } from '../shared/guide/modelartsQwenVl6310';
import { preflightHost } from '../electron/main/services/guide/stepRunner';
import { startDevServer } from '../test/devserver/simulatedDevServer';
import type { SimulatedDevServer } from '../test/devserver/simulatedDevServer';
import { keyHop, openSession } from '../test/support/sshTestKit';
import { startTcpProxy } from '../test/support/tcpProxy';

const HOSTS = 8;
const ROUNDS = 3;
const step = modelartsQwenVl6310.steps[0];
if (!step) throw new Error('no Step 1');

async function preflight(server: SimulatedDevServer, port = server.port): Promise<void> {
  const session = await openSession([keyHop(server, port)]);
  try {
    const report = await preflightHost(session, step as NonNullable<typeof step>, modelartsQwenVl6310.defaults);
    if (report.npuTotal !== 8) throw new Error(`unexpected report: ${JSON.stringify(report.checks)}`);
  } finally {
    session.close();
  }
}

async function best(work: () => Promise<unknown>): Promise<number> {
  let fastest = Infinity;
  for (let round = 0; round < ROUNDS; round++) {
    const started = performance.now();
    await work();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const servers = await Promise.all(Array.from({ length: HOSTS }, (_, i) => startDevServer({ name: `bench-${i}` })));
try {
  const [first] = servers;
  if (!first) throw new Error('no server');
  await preflight(first);
  const one = await best(() => preflight(first));
  const all = await best(() => Promise.all(servers.map((server) => preflight(server))));
  console.log(`loopback: 1 host ${one.toFixed(0)} ms; ${HOSTS} hosts in parallel ${all.toFixed(0)} ms; ratio ${(all / one).toFixed(2)}× (target ≤ 1.5×), best of ${ROUNDS}`);
  const proxies = await Promise.all(servers.map((server) => startTcpProxy(server.port, { delayMs: 10 })));
  try {
    const oneFar = await best(() => preflight(first, proxies[0]?.port));
    const allFar = await best(() => Promise.all(servers.map((server, i) => preflight(server, proxies[i]?.port))));
    console.log(`20 ms RTT: 1 host ${oneFar.toFixed(0)} ms; ${HOSTS} hosts in parallel ${allFar.toFixed(0)} ms; ratio ${(allFar / oneFar).toFixed(2)}× (target ≤ 1.5×), best of ${ROUNDS}`);
  } finally {
    await Promise.all(proxies.map((proxy) => proxy.close()));
  }
} finally {
  await Promise.all(servers.map((server) => server.stop()));
}
