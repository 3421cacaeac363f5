// The second thread of parallelParse.ts: runs the YAML fast path over its share of the files, hands
// the data back through the port, then wakes the main thread, which waits synchronously.
import { workerData, type MessagePort } from "node:worker_threads";
import { parseYamlFast } from "./yamlFastPath.js";

const { texts, signal, port } = workerData as { texts: string[]; signal: Int32Array; port: MessagePort };
try {
  port.postMessage(texts.map(parseYamlFast));
} finally {
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
