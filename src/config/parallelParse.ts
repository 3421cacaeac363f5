// The YAML fast path over many files, on both cores: the yaml package's tokenizer dominates validate's
// time on a large config, and it runs one file at a time. A worker thread takes half the files while
// this thread takes the other half. The main thread then waits on an Atomics flag and reads the
// worker's answer with receiveMessageOnPort, so that loading a config stays synchronous for callers.
import { MessageChannel, receiveMessageOnPort, Worker } from "node:worker_threads";
import { parseYamlFast } from "./yamlFastPath.js";

/** Below this much YAML a worker's start-up (tens of milliseconds) costs more than it saves. */
const parallelBytes = 256 * 1024;
/** If the worker never answers (it could not start), this thread parses its share itself. */
const workerWaitMs = 30_000;

/** parseYamlFast of each text, in order. */
export function parseYamlFastAll(texts: readonly string[]): unknown[] {
  const bytes = texts.reduce((n, t) => n + t.length, 0);
  if (bytes < parallelBytes || texts.length < 2) return texts.map(parseYamlFast);
  const half = Math.ceil(texts.length / 2);
  const theirs = texts.slice(half);
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const { port1, port2 } = new MessageChannel();
  const worker = new Worker(new URL("./parseWorker.js", import.meta.url), {
    workerData: { texts: theirs, signal, port: port2 },
    transferList: [port2],
  });
  worker.unref();
  const mine = texts.slice(0, half).map(parseYamlFast);
  Atomics.wait(signal, 0, 0, workerWaitMs);
  const answer = receiveMessageOnPort(port1)?.message as unknown[] | undefined;
  port1.close();
  return [...mine, ...(answer ?? theirs.map(parseYamlFast))];
}
