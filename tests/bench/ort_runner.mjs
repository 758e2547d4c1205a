// ONNX Runtime side of the benchmarks (tests/bench/ort_column.py runs it; node >= 18, onnxruntime-node).
//
//   node ort_runner.mjs --ort DIR --model model.onnx --input x.bin --dtype int64|float32 --shape 128[,..]
//                       [--threads 2] [--runs 10] [--passive] [--dump OUTDIR]
//
// --ort DIR: the folder holding node_modules/onnxruntime-node (installed outside the repository).
// --input: the one graph input as raw little-endian values of --dtype and --shape.
// Session options (all of them; everything else is ORT's default, CPU execution provider):
//   intraOpNumThreads = --threads, interOpNumThreads = 1, graphOptimizationLevel = 'all', executionMode 'sequential'
//   --passive: session config entry session.intra_op.allow_spinning = "0", ONNX Runtime's equivalent of
//   OMP_WAIT_POLICY=PASSIVE (ORT's thread pool is its own and ignores OpenMP variables): idle threads block instead
//   of spinning. Without it, ORT's default (spinning allowed).
// One warm-up run, then --runs timed runs of session.run with every output fetched (copied into JS typed arrays).
// Prints one JSON line: median_ms, cpu_ms_per_run (process user + system CPU time per timed run, which shows
// whether threads spin), ort_version, session_options.
// --dump OUTDIR: after the timed runs writes each output of the last run as OUTDIR/<name>.bin (raw float32) and
// OUTDIR/outputs.json ([{name, dims}] in the session's output order), for the export check against PyTorch.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

function parseArgs(argv) {
  const args = { threads: 2, runs: 10, passive: false };
  for (let i = 0; i < argv.length; ++i) {
    const key = argv[i];
    if (key === '--passive') { args.passive = true; continue; }
    if (!key.startsWith('--') || i + 1 >= argv.length) fail(`argument ${i + 1} '${key}': expected --name value`);
    args[key.slice(2)] = argv[++i];
  }
  for (const need of ['ort', 'model', 'input', 'dtype', 'shape']) {
    if (!args[need]) fail(`--${need} is missing (see the top of ort_runner.mjs)`);
  }
  args.threads = Number(args.threads);
  args.runs = Number(args.runs);
  if (!(args.threads >= 1) || !(args.runs >= 1)) fail('--threads and --runs must be positive integers');
  return args;
}

function fail(message) {
  process.stderr.write(`ort_runner: ${message}\n`);
  process.exit(2);
}

function readInput(file, dtype, dims) {
  const bytes = fs.readFileSync(file);
  const count = dims.reduce((a, b) => a * b, 1);
  const types = { int64: BigInt64Array, float32: Float32Array };
  const Type = types[dtype];
  if (!Type) fail(`--dtype ${dtype}: expected int64 or float32`);
  if (bytes.length !== count * Type.BYTES_PER_ELEMENT) {
    fail(`${file}: ${bytes.length} bytes, expected ${count} ${dtype} values for shape [${dims}]`);
  }
  // a copy so the typed array is aligned whatever Buffer pooling did
  return new Type(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const require = createRequire(path.join(path.resolve(args.ort), 'package.json'));
  const ort = require('onnxruntime-node');
  const options = {
    executionProviders: ['cpu'],
    intraOpNumThreads: args.threads,
    interOpNumThreads: 1,
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
  };
  if (args.passive) options.extra = { session: { intra_op: { allow_spinning: '0' } } };
  const session = await ort.InferenceSession.create(args.model, options);
  if (session.inputNames.length !== 1) fail(`${args.model}: ${session.inputNames.length} inputs, expected 1`);
  const dims = args.shape.split(',').map(Number);
  const input = new ort.Tensor(args.dtype, readInput(args.input, args.dtype, dims), dims);
  const feeds = { [session.inputNames[0]]: input };

  let outputs = await session.run(feeds);  // warm-up
  const times = [];
  const cpuBefore = process.cpuUsage();
  for (let i = 0; i < args.runs; ++i) {
    const start = performance.now();
    outputs = await session.run(feeds);
    times.push(performance.now() - start);
  }
  const cpu = process.cpuUsage(cpuBefore);

  if (args.dump) {
    fs.mkdirSync(args.dump, { recursive: true });
    const listing = [];
    for (const name of session.outputNames) {
      const tensor = outputs[name];
      if (tensor.type !== 'float32') fail(`output ${name} is ${tensor.type}, expected float32`);
      fs.writeFileSync(path.join(args.dump, `${name}.bin`), Buffer.from(tensor.data.buffer, tensor.data.byteOffset,
                                                                        tensor.data.byteLength));
      listing.push({ name, dims: tensor.dims });
    }
    fs.writeFileSync(path.join(args.dump, 'outputs.json'), JSON.stringify(listing));
  }
  const shown = { ...options };
  delete shown.extra;
  shown['session.intra_op.allow_spinning'] = args.passive ? '0' : 'default (1)';
  console.log(JSON.stringify({
    median_ms: median(times),
    cpu_ms_per_run: (cpu.user + cpu.system) / 1000 / args.runs,
    ort_version: ort.env.versions?.node ?? 'unknown',
    session_options: shown,
  }));
}

main().catch((error) => fail(error?.message ?? String(error)));
