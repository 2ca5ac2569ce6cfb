import 'reflect-metadata';

import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

import { Agent, request } from 'undici';

import { DEMO_AUDIENCE, DEMO_ISSUER, DemoKey } from '../src/auth/demo-key';
import { loadConfig } from '../src/config/load';
import { startSimulators } from '../src/simulators/start-simulators';
import type { EstateSimulators } from '../src/simulators/start-simulators';
import type { SimulatorServer } from '../src/upstreams/sim/simulator-server';
import { measureFanout } from './lib/fanout';
import { percentile, runLoad } from './lib/load';
import { cpuList, pin, splitCores } from './lib/cpus';
import { FullGcLog, rssOf } from './lib/memory';
import { summariseProfile } from './lib/profile';
import { cpuTicks, stealPercent } from './lib/steal';
import {
  TimelineRecorder,
  collectionsLine,
  summariseCollections,
  summariseTimeline,
  timelineTable,
} from './lib/timeline';
import type { CollectionSummary, PortNames, TimelineEvent, TimelineSummary } from './lib/timeline';
import { replicasBench } from './lib/replicas';
import { PICK_INCIDENT_QUERY, WORKLOADS, pickIncident, totalOf } from './lib/workloads';
import type { CallCounts, Workload } from './lib/workloads';

/*
 * `npm run bench`: the gateway runs as its own process (node dist-bench/src/main.js) so its RSS and
 * CPU are its own; the three simulators run in this process (in threads of their own they measured
 * slower: three heaps, three collectors on two cores); autocannon runs in a child process.
 * Settings (environment): SIM_SEED, SIM_SCALE; BENCH_SIM_SCALES (1,10,50: the scales whose
 * simulator start-up time and memory are measured first, each in a process of its own; '' skips
 * them); BENCH_LATENCY_MS (20), BENCH_WARMUP (200),
 * BENCH_SAMPLES (100), BENCH_CONNECTIONS (32), BENCH_REQUESTS (100000), BENCH_DURATION_S (10),
 * BENCH_PIN=0 (the latency run shares every core instead of splitting them between the gateway
 * and this process), BENCH_PROFILE=1 (also writes bench/results/*.cpuprofile of the throughput run
 * and of the triage query, and prints their top self-time functions), BENCH_TIMELINE=1 (the
 * latency run also records when each request reaches the gateway, each upstream call is written,
 * reaches its simulator and is answered, and prints per workload when each moment happens and
 * what the gateway's garbage collections did to the requests they overlapped; the diagnostics
 * channels it listens on cost a few microseconds per moment); BENCH_ONLY=replicas (only the
 * replicas section: 1 and 2 gateways on one redis-server, and a BENCH_ROTATION_S (60) run with
 * 2-second MDR access tokens); GRAPHQL_EXECUTOR and
 * GRAPHQL_COMPILE_AFTER go to the gateway (compiled after one run unless they say otherwise);
 * BENCH_SUBSCRIBERS (200) graphql-ws subscribers in the fan-out run.
 */

const ROOT = path.resolve(__dirname, '..', '..');
const DIST = path.resolve(__dirname, '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const env = process.env;
/** BENCH_SIM_SCALES: the scales whose simulator start-up is measured ('' skips it). */
const SIM_SCALES = (env.BENCH_SIM_SCALES ?? '1,10,50')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
const LATENCY_MS = Number(env.BENCH_LATENCY_MS ?? 20);
const WARMUP = Number(env.BENCH_WARMUP ?? 200);
const SAMPLES = Number(env.BENCH_SAMPLES ?? 100);
const CONNECTIONS = Number(env.BENCH_CONNECTIONS ?? 32);
const REQUESTS = Number(env.BENCH_REQUESTS ?? 100_000);
const DURATION_S = Number(env.BENCH_DURATION_S ?? 10);
const PROFILE = env.BENCH_PROFILE === '1';
const TIMELINE = env.BENCH_TIMELINE === '1';
/** BENCH_ONLY=replicas: the replicas section alone (lib/replicas.ts). */
const ONLY_REPLICAS = env.BENCH_ONLY === 'replicas';
const ROTATION_S = Number(env.BENCH_ROTATION_S ?? 60);
const CORES = splitCores(env.BENCH_PIN);
const FANOUT_SUBSCRIBERS = Number(env.BENCH_SUBSCRIBERS ?? 200);
/** Passed on to every gateway process: GRAPHQL_EXECUTOR=interpreted measures graphql-js alone. */
const EXECUTOR = {
  GRAPHQL_EXECUTOR: env.GRAPHQL_EXECUTOR ?? 'compiled',
  GRAPHQL_COMPILE_AFTER: env.GRAPHQL_COMPILE_AFTER ?? '1',
};
const CORES_LINE = CORES.split
  ? `gateway on core ${cpuList(CORES.split.gateway)}, simulators and client on core ${cpuList(CORES.split.bench)}`
  : `all processes sharing the cores: ${CORES.why}`;

interface Child {
  url: string;
  pid: number;
  stop(): Promise<void>;
}

/**
 * Starts `node <script>` and waits for the `GraphQL <url>` line it prints. In production mode, as
 * the gateway runs by default (and the bare Apollo Server beside it alike): graphql-js's
 * development build checks every type test against a second copy of graphql (`instanceOf`).
 */
async function startChild(
  script: string,
  childEnv: Record<string, string>,
  nodeArgs: string[] = [],
  onLine?: (line: string) => void,
): Promise<Child> {
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs, script], {
    env: { PATH: env.PATH ?? '', NODE_ENV: 'production', ...childEnv },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      onLine?.(line);
      const match = /GraphQL\s+(http:\/\/\S+)/.exec(line);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before listening`)));
  });
  child.stdout!.resume();
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

class Bench {
  private readonly token: Promise<string>;
  /** One keep-alive connection pool for every request the bench sends itself. */
  readonly client = new Agent({ keepAliveTimeout: 30_000 });
  /** BENCH_TIMELINE=1: the client's and the simulators' moments of the latency run. */
  readonly timeline?: TimelineRecorder;
  /** Per workload, the latency run's first request sent and last answer in (timeline). */
  readonly timelineWindows = new Map<string, [number, number]>();

  constructor(
    private readonly sims: EstateSimulators,
    private readonly demoKey: DemoKey,
  ) {
    if (TIMELINE) this.timeline = new TimelineRecorder(this.ports);
    this.token = demoKey.sign(
      { role: 'administrator', subject: 'bench', ttlS: 3600 },
      { rolesClaim: 'roles', tenantsClaim: 'tenants' },
    );
  }

  /** A gateway process pointed at the simulators as at real servers (not demo mode). */
  async gateway(
    extra: Record<string, string> = {},
    nodeArgs: string[] = [],
    onLine?: (line: string) => void,
  ): Promise<Child> {
    const { info } = this.sims;
    return startChild(
      path.join(DIST, 'src', 'main.js'),
      {
        PORT: '0',
        HOST: '127.0.0.1',
        STATE_DIR: mkdtempSync(path.join(tmpdir(), 'bench-gateway-')),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_PER_MINUTE: '1000000',
        RATE_LIMIT_BURST: '1000000',
        AUTH_JWKS_FILE: this.demoKey.jwksFile,
        AUTH_ISSUER: DEMO_ISSUER,
        AUTH_AUDIENCE: DEMO_AUDIENCE,
        MDR_URL: info.mdr.url,
        MDR_CLIENT_ID: info.mdr.clientId,
        // Refresh tokens are single use: every gateway process gets a fresh one.
        MDR_REFRESH_TOKEN: await this.sims.mdr.issueRefreshToken('Gateway administrator'),
        KSC_URL: info.ksc.url,
        KSC_USERNAME: info.ksc.username,
        KSC_PASSWORD: info.ksc.password,
        KSC_CA_FILE: info.ksc.caFile,
        KATA_URL: info.kata.url,
        KATA_EXTERNAL_SYSTEM_ID: info.kata.externalSystemId,
        KATA_CERT_FILE: info.kata.certFile,
        KATA_KEY_FILE: info.kata.keyFile,
        KATA_CA_FILE: info.kata.caFile,
        ...EXECUTOR,
        ...extra,
      },
      nodeArgs,
      onLine,
    );
  }

  async headers(): Promise<Record<string, string>> {
    return { 'content-type': 'application/json', authorization: `Bearer ${await this.token}` };
  }

  /** One GraphQL request; `answered` runs once the whole answer is in, before the client decodes it. */
  async gql<T = any>(
    url: string,
    query: string,
    variables: Record<string, unknown> = {},
    answered?: () => void,
  ): Promise<T> {
    // undici's request, not fetch: the client's own cost is part of every latency sample, and
    // fetch's WHATWG streams add a millisecond or so that is neither gateway nor upstream time.
    const res = await request(url, {
      method: 'POST',
      headers: await this.headers(),
      body: JSON.stringify({ query, variables }),
      dispatcher: this.client,
    });
    const bytes = await res.body.arrayBuffer();
    answered?.();
    const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as { data?: T; errors?: unknown[] };
    if (res.statusCode !== 200 || body.errors?.length)
      throw new Error(`gateway answered ${res.statusCode}: ${JSON.stringify(body.errors).slice(0, 600)}`);
    return body.data as T;
  }

  /** Upstream names by their simulators' ports (timeline labels). */
  get ports(): PortNames {
    const { info } = this.sims;
    return Object.fromEntries((['mdr', 'ksc', 'kata'] as const).map((name) => [new URL(info[name].url).port, name]));
  }

  /** The three simulators' HTTP servers, by the upstream names call counts use. */
  private get servers(): Record<keyof CallCounts, SimulatorServer> {
    return { mdr: this.sims.mdr.server, ksc: this.sims.ksc.server, kata: this.sims.kata.server };
  }

  resetStats(): void {
    for (const server of Object.values(this.servers)) server.resetStats();
  }

  calls(): CallCounts {
    const { mdr, ksc, kata } = this.servers;
    return { mdr: mdr.stats().calls, ksc: ksc.stats().calls, kata: kata.stats().calls };
  }

  set latency(ms: number) {
    for (const server of Object.values(this.servers)) server.latencyMs = ms;
  }

  /**
   * Waits until the gateway has released every KSC result set it opened: it releases them after
   * answering, so the last calls of a query may land just after its response.
   */
  async released(): Promise<void> {
    for (let waited = 0; waited < 5_000; waited += 10) {
      const { accessors = 0, iterators = 0 } = this.sims.ksc.server.stats().open as Record<string, number>;
      if (accessors + iterators === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    throw new Error('the gateway left KSC result sets open for 5 s');
  }

  /** Upstream calls of one run of the workload, after a warm-up run (tokens, sessions). */
  async countCalls(url: string, workload: Workload, variables: Record<string, unknown>): Promise<CallCounts> {
    await this.gql(url, workload.query, variables);
    await this.released();
    this.resetStats();
    await this.gql(url, workload.query, variables);
    await this.released();
    return this.calls();
  }

  /**
   * End-to-end times of sequential requests (one at a time: latency, not queueing), and how long
   * the simulators took on the critical path: per level the slowest call's mean answer time.
   */
  async latencies(
    url: string,
    workload: Workload,
    variables: Record<string, unknown>,
  ): Promise<{ times: number[]; upstreamPathMs: number }> {
    for (let i = 0; i < 3; i++) await this.gql(url, workload.query, variables);
    await this.released();
    this.resetStats();
    const times: number[] = [];
    if (this.timeline) this.timeline.recording = true;
    for (let i = 0; i < SAMPLES; i++) {
      // Request sent to last byte in: decoding the answer is the client's work, not the gateway's.
      let answered = 0n;
      const started = process.hrtime.bigint();
      await this.gql(url, workload.query, variables, () => (answered = process.hrtime.bigint()));
      times.push(Number(answered - started) / 1e6);
      this.timeline?.mark('send', Number(started) / 1e6);
      this.timeline?.mark('in', Number(answered) / 1e6);
      if (i === 0) this.timelineWindows.set(workload.name, [Number(started) / 1e6, 0]);
      this.timelineWindows.get(workload.name)![1] = Number(answered) / 1e6;
    }
    if (this.timeline) this.timeline.recording = false;
    await this.released();
    const answerMs = new Map<string, number>();
    for (const [upstream, server] of Object.entries(this.servers)) {
      for (const [endpoint, ms] of Object.entries(server.answerTimes())) answerMs.set(`${upstream} ${endpoint}`, ms);
    }
    const upstreamPathMs = workload.criticalPath.reduce(
      (sum, level) => sum + Math.max(...level.map((endpoint) => answerMs.get(endpoint) ?? 0)),
      0,
    );
    return { times, upstreamPathMs };
  }
}

/** A direct MDR access token for a connection the gateway does not use (refresh tokens rotate). */
async function mdrAccessToken(sims: EstateSimulators): Promise<string> {
  const refresh = await sims.mdr.issueRefreshToken('Gateway security officer');
  const res = await fetch(`${sims.info.mdr.url}/${sims.info.mdr.clientId}/session/confirm`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refresh_token: refresh }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

const round = (n: number) => Math.round(n * 10) / 10;
const ratio = (a: number, b: number) => (b ? Math.round((a / b) * 100) / 100 : 0);
const perEndpoint = (c: CallCounts) =>
  Object.entries(c)
    .flatMap(([u, eps]) => Object.entries(eps).map(([ep, n]) => `${u} ${ep}×${n}`))
    .join(', ');

const THROUGHPUT_QUERY = 'query OneAsset($assetId: String!) { asset(assetId: $assetId) { assetId hostName status } }';

async function main(): Promise<void> {
  const settings = loadConfig({ SIM_SEED: env.SIM_SEED, SIM_SCALE: env.SIM_SCALE }).simulators;
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-'));
  mkdirSync(RESULTS, { recursive: true });
  const started = Date.now();
  const log = (line: string) =>
    process.stderr.write(`[bench ${((Date.now() - started) / 1000).toFixed(0).padStart(3)} s] ${line}\n`);

  // ------------------------------------------------------------ 0. simulator start-up at scale
  const simulatorStarts: SimulatorStart[] = [];
  for (const scale of SIM_SCALES) {
    log(`simulators at SIM_SCALE=${scale}: start-up and memory (a process of their own)`);
    simulatorStarts.push(await simulatorStart(scale, env.SIM_SEED));
  }

  // The gateway compiled into dist-bench/src finds its static files (playground) one level up, as from dist/.
  if (!existsSync(path.join(DIST, 'public'))) symlinkSync(path.join(ROOT, 'public'), path.join(DIST, 'public'));
  const sims = await startSimulators({ ...settings, latencyMs: 0, faultRate: 0 }, stateDir);
  const bench = new Bench(sims, await DemoKey.open(stateDir));
  const replicas = () =>
    replicasBench({
      gateway: (extra) => bench.gateway(extra),
      headers: () => bench.headers(),
      refreshToken: () => sims.mdr.issueRefreshToken('Gateway administrator'),
      body: JSON.stringify({ query: THROUGHPUT_QUERY, variables: { assetId: sims.mdr.routes.assets[0]!.asset_id } }),
      connections: CONNECTIONS,
      durationS: DURATION_S,
      rotationS: ROTATION_S,
      log,
    });
  if (ONLY_REPLICAS) {
    try {
      const { results, lines } = await replicas();
      process.stdout.write(`${lines.join('\n')}\n\n`);
      writeFileSync(path.join(RESULTS, 'replicas-latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    } finally {
      await bench.client.close();
      await sims.close();
    }
    return;
  }
  try {
    // ------------------------------------------------------------ 1. upstream calls
    const timelineFile = path.join(stateDir, 'gateway-timeline.json');
    let gw = TIMELINE
      ? await bench.gateway({ BENCH_TIMELINE_FILE: timelineFile, BENCH_TIMELINE_PORTS: JSON.stringify(bench.ports) }, [
          '--require',
          path.join(__dirname, 'lib', 'timeline-preload.js'),
        ])
      : await bench.gateway();
    log(`gateway ${gw.url} (pid ${gw.pid}; queries ${EXECUTOR.GRAPHQL_EXECUTOR})`);
    // The latency run splits the cores (lib/cpus.ts); throughput and memory share them all, so
    // the direct and bare-Apollo runs, whose servers run in this process, get the same machine.
    const { split } = CORES;
    if (split) {
      pin(gw.pid, split.gateway);
      pin(process.pid, split.bench);
    }
    log(`latency run: ${CORES_LINE}`);
    const incidentId = pickIncident(await bench.gql(gw.url, PICK_INCIDENT_QUERY));
    const variablesOf = (w: Workload): Record<string, unknown> => (w.name === 'incidentDetail' ? { incidentId } : {});
    const gatewayCalls = new Map<string, CallCounts>();
    for (const w of WORKLOADS) gatewayCalls.set(w.name, await bench.countCalls(gw.url, w, variablesOf(w)));

    // ------------------------------------------------------------ 2. latency against the critical path
    // Measured on a warm process, as a gateway serves after its first minutes: V8 optimises a
    // function only after it has run many times, and the first few hundred requests run slower.
    log(`warm-up: ${WARMUP} requests of each workload (SIM_LATENCY_MS=0)`);
    for (const w of WORKLOADS) for (let i = 0; i < WARMUP; i++) await bench.gql(gw.url, w.query, variablesOf(w));
    await bench.released();
    bench.latency = LATENCY_MS;
    const times = new Map<string, { times: number[]; upstreamPathMs: number }>();
    const ticksBefore = cpuTicks();
    for (const w of WORKLOADS) {
      log(`latency: ${w.name} (${SAMPLES} sequential requests, SIM_LATENCY_MS=${LATENCY_MS})`);
      times.set(w.name, await bench.latencies(gw.url, w, variablesOf(w)));
    }
    const latencyStealPct = stealPercent(ticksBefore, cpuTicks());
    bench.latency = 0;
    await gw.stop();
    const timelines: Record<string, TimelineSummary & { collections: CollectionSummary }> = {};
    if (bench.timeline) {
      const all = [...bench.timeline.events, ...(JSON.parse(readFileSync(timelineFile, 'utf8')) as TimelineEvent[])];
      for (const [name, [from, to]] of bench.timelineWindows) {
        const events = all.filter((e) => e.t >= from && e.t <= to);
        timelines[name] = { ...summariseTimeline(events), collections: summariseCollections(events) };
      }
      bench.timeline.close();
    }
    if (split) pin(process.pid, split.all);

    const naive = await bench.gateway({ GATEWAY_LOADERS: 'naive' });
    const naiveCalls = new Map<string, CallCounts>();
    for (const w of WORKLOADS) naiveCalls.set(w.name, await bench.countCalls(naive.url, w, variablesOf(w)));
    await naive.stop();

    // ------------------------------------------------------------ 3. throughput and 4. memory
    const fullGcs = new FullGcLog();
    gw = await bench.gateway({}, ['--trace-gc'], fullGcs.onLine);
    const assetId = (
      await bench.gql<{ assets: { nodes: { assetId: string }[] } }>(
        gw.url,
        '{ assets(first: 1) { nodes { assetId } } }',
      )
    ).assets.nodes[0]!.assetId;
    const throughputBody = JSON.stringify({ query: THROUGHPUT_QUERY, variables: { assetId } });
    bench.resetStats();
    await bench.gql(gw.url, THROUGHPUT_QUERY, { assetId });
    const throughputCalls = bench.calls();
    const headers = await bench.headers();
    const warm = Math.round(REQUESTS / 10);
    log(`throughput: gateway, ${warm} requests then ${REQUESTS - warm} more, ${CONNECTIONS} connections`);
    const first = await runLoad({ url: gw.url, headers, body: throughputBody, connections: CONNECTIONS, amount: warm });
    const after10k = rssOf(gw.pid);
    const liveAfter10kMb = fullGcs.liveMb();
    const gateway = await runLoad({
      url: gw.url,
      headers,
      body: throughputBody,
      connections: CONNECTIONS,
      amount: REQUESTS - warm,
    });
    const after100k = rssOf(gw.pid);
    const liveAfter100kMb = fullGcs.liveMb();
    await gw.stop();

    log(`throughput: straight to the MDR simulator (assets/details), ${DURATION_S} s`);
    const direct = await runLoad({
      url: `${sims.info.mdr.url}/${sims.info.mdr.clientId}/assets/details`,
      headers: { authorization: `Bearer ${await mdrAccessToken(sims)}` },
      body: JSON.stringify({ asset_id: assetId, version: 2 }),
      connections: CONNECTIONS,
      durationS: DURATION_S,
    });

    log(`throughput: bare Apollo Server answering a constant, ${DURATION_S} s`);
    const ceilingChild = await startChild(path.join(__dirname, 'lib', 'ceiling.js'), {});
    const ceiling = await runLoad({
      url: ceilingChild.url,
      body: throughputBody,
      connections: CONNECTIONS,
      durationS: DURATION_S,
    });
    await ceilingChild.stop();

    // ------------------------------------------------------------ profiles (BENCH_PROFILE=1)
    const profiles: Record<string, string[]> = {};
    if (PROFILE) {
      const profiled = async (name: string, load: (url: string) => Promise<unknown>) => {
        const child = await bench.gateway({}, [
          '--cpu-prof',
          '--cpu-prof-dir',
          RESULTS,
          '--cpu-prof-name',
          `${name}.cpuprofile`,
        ]);
        await load(child.url);
        await child.stop();
        profiles[name] = summariseProfile(path.join(RESULTS, `${name}.cpuprofile`), 15);
      };
      log('profile: throughput run');
      await profiled('gateway-throughput', (url) =>
        runLoad({ url, headers, body: throughputBody, connections: CONNECTIONS, amount: 30_000 }),
      );
      log('profile: triage query');
      const triage = WORKLOADS.find((w) => w.name === 'triage')!;
      await profiled('gateway-triage', (url) =>
        runLoad({ url, headers, body: JSON.stringify({ query: triage.query }), connections: 8, amount: 1_000 }),
      );
    }

    const failed = Object.entries({
      gateway: first.errors + gateway.errors,
      direct: direct.errors,
      ceiling: ceiling.errors,
    }).filter(([, n]) => n > 0);
    if (failed.length)
      throw new Error(
        `load runs had failed requests (${failed.map(([t, n]) => `${t} ${n}`).join(', ')}): figures would be wrong`,
      );

    // ------------------------------------------------------------ 5. replicas
    const replicaRun = await replicas();

    // ------------------------------------------------------------ report
    const workloads: Record<string, unknown> = {};
    const rows: string[] = [];
    for (const w of WORKLOADS) {
      const g = gatewayCalls.get(w.name)!;
      const n = naiveCalls.get(w.name)!;
      const { times: t, upstreamPathMs } = times.get(w.name)!;
      const levels = w.criticalPath.length;
      const criticalPathMs = levels * LATENCY_MS;
      const p50Ms = round(percentile(t, 50));
      const p95Ms = round(percentile(t, 95));
      workloads[w.name] = {
        gatewayCalls: totalOf(g),
        naiveCalls: totalOf(n),
        minimumCalls: totalOf(w.minimum),
        p50Ms,
        p95Ms,
        criticalPathMs,
        criticalLevels: levels,
        criticalPath: w.criticalPath,
        p50Ratio: ratio(p50Ms, criticalPathMs),
        upstreamPathMs: round(upstreamPathMs),
        gatewayOwnP50Ms: round(p50Ms - upstreamPathMs),
        p50ToUpstreamPath: ratio(p50Ms, upstreamPathMs),
        p95Ratio: ratio(p95Ms, criticalPathMs),
        gatewayCallsByEndpoint: g,
        naiveCallsByEndpoint: n,
        minimumCallsByEndpoint: w.minimum,
        minimumDerivation: w.derivation,
      };
      rows.push(
        `| ${w.name} | ${totalOf(g)} | ${totalOf(n)} | ${totalOf(w.minimum)} | ${p50Ms} | ${p95Ms} | ${criticalPathMs} (${levels}×${LATENCY_MS}) | ${ratio(p50Ms, criticalPathMs).toFixed(2)} | ${ratio(p95Ms, criticalPathMs).toFixed(2)} | ${round(upstreamPathMs)} | ${round(p50Ms - upstreamPathMs)} |`,
      );
    }
    const throughput = {
      gatewayRps: gateway.rps,
      directRps: direct.rps,
      apolloCeilingRps: ceiling.rps,
      p99Ms: gateway.p99Ms,
      peakRssMb: after100k.peakMb,
      p50Ms: gateway.p50Ms,
      directP50Ms: direct.p50Ms,
      directP99Ms: direct.p99Ms,
      apolloCeilingP50Ms: ceiling.p50Ms,
      apolloCeilingP99Ms: ceiling.p99Ms,
      gatewayToDirect: ratio(gateway.rps, direct.rps),
      gatewayToApolloCeiling: ratio(gateway.rps, ceiling.rps),
      rssAfter10kMb: after10k.rssMb,
      rssAfter100kMb: after100k.rssMb,
      heapAfterFullGcAt10kMb: liveAfter10kMb,
      heapAfterFullGcAt100kMb: liveAfter100kMb,
      requests: first.requests + gateway.requests,
      errors: first.errors + gateway.errors + direct.errors + ceiling.errors,
      connections: CONNECTIONS,
      query: THROUGHPUT_QUERY,
      upstreamCallsPerRequest: totalOf(throughputCalls),
    };
    // ------------------------------------------------------------ 5. live updates: fan-out
    const livePollMs = 1_000;
    const live = await bench.gateway({ LIVE_MDR_POLL_MS: String(livePollMs) });
    log(`fan-out: ${FANOUT_SUBSCRIBERS} graphql-ws subscribers of incidentChanged, 20 new incidents`);
    const fanout = await measureFanout({
      url: live.url,
      authorization: (await bench.headers()).authorization!,
      mdr: sims.mdr,
      subscribers: FANOUT_SUBSCRIBERS,
      changes: 20,
      spacingMs: 250,
      pollMs: livePollMs,
    });
    await live.stop();

    const results = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: (await import('node:os')).cpus().length,
      simulators: { seed: settings.seed, scale: settings.scale, latencyMs: LATENCY_MS },
      gateway: { executor: EXECUTOR.GRAPHQL_EXECUTOR, compileAfter: Number(EXECUTOR.GRAPHQL_COMPILE_AFTER) },
      latencyRun: {
        warmupRequestsPerWorkload: WARMUP,
        sequentialSamples: SAMPLES,
        cores: CORES.split
          ? { gateway: cpuList(CORES.split.gateway), simulatorsAndClient: cpuList(CORES.split.bench) }
          : { shared: CORES.why },
        stealPct: latencyStealPct,
      },
      simulatorStarts,
      workloads,
      replicas: replicaRun.results,
      throughput,
      fanout,
      ...(PROFILE ? { profiles } : {}),
      ...(TIMELINE ? { timelines } : {}),
    };

    const table = [
      ...(simulatorStarts.length
        ? [
            '## Simulators: start-up and memory (`npm run simulate`: the whole data set built before the first answer)',
            '',
            '| SIM_SCALE | MDR assets | incidents | KSC hosts | KSC events | KATA sensors | ready after s | RSS MB | live heap MB |',
            '| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
            ...simulatorStarts.map(
              (s) =>
                `| ${s.scale} | ${s.assets} | ${s.incidents} | ${s.hosts} | ${s.events} | ${s.sensors} | ${(s.readyMs / 1000).toFixed(1)} | ${s.rssMb} | ${s.heapMb} |`,
            ),
            '',
          ]
        : []),
      `## Workloads (upstream calls; latency with SIM_LATENCY_MS=${LATENCY_MS}, ${SAMPLES} sequential requests after ${WARMUP} of each workload to warm up, ${CORES_LINE}; queries ${EXECUTOR.GRAPHQL_EXECUTOR})`,
      '',
      '| workload | gateway calls | naive calls | minimum calls | p50 ms | p95 ms | critical path ms | p50 / critical | p95 / critical | simulators on the path ms | rest of p50 ms |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      latencyStealPct === null
        ? '- CPU steal during the latency runs: not known here (no /proc/stat)'
        : `- CPU steal during the latency runs: ${latencyStealPct} % of the machine's CPU time went to other guests of the host`,
      ...WORKLOADS.map(
        (w) =>
          `- ${w.name}: gateway ${perEndpoint(gatewayCalls.get(w.name)!)}; naive ${perEndpoint(naiveCalls.get(w.name)!)}`,
      ),
      '',
      `## Throughput (SIM_LATENCY_MS=0, autocannon, ${CONNECTIONS} connections; \`asset(assetId)\` = ${perEndpoint(throughputCalls)})`,
      '',
      '| target | req/s | p50 ms | p99 ms |',
      '| --- | ---: | ---: | ---: |',
      `| gateway → MDR simulator | ${gateway.rps} | ${gateway.p50Ms} | ${gateway.p99Ms} |`,
      `| MDR simulator directly (assets/details) | ${direct.rps} | ${direct.p50Ms} | ${direct.p99Ms} |`,
      `| bare Apollo Server, constant answer | ${ceiling.rps} | ${ceiling.p50Ms} | ${ceiling.p99Ms} |`,
      '',
      `gateway / direct = ${throughput.gatewayToDirect}; gateway / Apollo ceiling = ${throughput.gatewayToApolloCeiling}; errors (non-2xx, timeouts, resets): gateway ${first.errors + gateway.errors}, direct ${direct.errors}, ceiling ${ceiling.errors}`,
      '',
      `## Live updates: fan-out (incidentChanged over graphql-ws, LIVE_MDR_POLL_MS=${fanout.pollMs}, ${fanout.changes} new incidents on the MDR simulator over ${fanout.durationS} s)`,
      '',
      '| subscribers | messages delivered | MDR incidents/list calls per minute | delay p50 ms | delay p95 ms | delay max ms |',
      '| ---: | ---: | ---: | ---: | ---: | ---: |',
      `| ${fanout.subscribers} | ${fanout.delivered} of ${fanout.subscribers * fanout.changes} | ${fanout.upstreamCallsPerMinute} | ${fanout.delayP50Ms} | ${fanout.delayP95Ms} | ${fanout.delayMaxMs} |`,
      '',
      "Delay: from the incident's creation on the simulator to the message at the client; one feed polls MDR whatever the number of subscribers, so the calls per minute follow the poll interval, not the subscribers.",
      '',
      `## Memory (gateway process)`,
      '',
      `| peak RSS MB | RSS after ${warm} requests MB | RSS after ${first.requests + gateway.requests} requests MB | live heap after the last full GC, at ${warm} MB | at ${first.requests + gateway.requests} MB |`,
      '| ---: | ---: | ---: | ---: | ---: |',
      `| ${after100k.peakMb} | ${after10k.rssMb} | ${after100k.rssMb} | ${liveAfter10kMb ?? '-'} | ${liveAfter100kMb ?? '-'} |`,
      '',
      'RSS follows the heap V8 has committed, which its collection schedule grows and shrinks; what survives a full collection (the gateway runs with `--trace-gc` here) is what a leak would grow.',
      ...replicaRun.lines,
      ...Object.entries(timelines).flatMap(([name, timeline]) => [
        '',
        ...timelineTable(name, timeline),
        '',
        collectionsLine(timeline.collections),
      ]),
      ...Object.entries(profiles).flatMap(([name, lines]) => [
        '',
        `## Top self time: ${name}`,
        '',
        '```',
        ...lines,
        '```',
      ]),
    ].join('\n');
    process.stdout.write(`\n${table}\n\n`);
    const stamp = results.date.replace(/[:.]/g, '-');
    writeFileSync(path.join(RESULTS, `bench-${stamp}.json`), `${JSON.stringify(results, null, 2)}\n`);
    writeFileSync(path.join(RESULTS, 'latest.json'), `${JSON.stringify(results, null, 2)}\n`);
    log(`wrote bench/results/latest.json and bench/results/bench-${stamp}.json`);
  } finally {
    await bench.client.close();
    await sims.close();
  }
}

interface SimulatorStart {
  scale: number;
  readyMs: number;
  rssMb: number;
  heapMb: number;
  assets: number;
  incidents: number;
  hosts: number;
  events: number;
  sensors: number;
}

/** Runs lib/simulator-start.js at one scale and reads the line it prints. */
async function simulatorStart(scale: string, seed: string | undefined): Promise<SimulatorStart> {
  const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'lib', 'simulator-start.js')], {
    env: { ...process.env, SIM_SCALE: scale, ...(seed ? { SIM_SEED: seed } : {}) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
  const code: number = await new Promise((resolve) => child.once('exit', (c) => resolve(c ?? 1)));
  if (code !== 0) throw new Error(`simulators at SIM_SCALE=${scale} did not start (exit ${code})`);
  return JSON.parse(out.trim().split('\n').pop()!) as SimulatorStart;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
