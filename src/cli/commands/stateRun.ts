// The work of `fabricate state pull`, `push` and `history`, on whichever store --state names.
import { readBoundedFile } from "../../files/readBoundedFile.js";
import type { HistoryFormat } from "../../state/historyFormat.js";
import { historyRenderers } from "../../state/historyRenderer.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { decidePush } from "../../state/pushState.js";
import { parseState, serializeState } from "../../state/stateDocument.js";
import { StateError, versionOf } from "../../state/stateStore.js";
import { withStateLock } from "../../state/withStateLock.js";
import { exitOk } from "../exitCodes.js";
import { lockWait, reportingStateErrors } from "../stateCommand.js";

// A state of 100,000 connections is about 70 MB; this leaves room while refusing /dev/zero.
const largestStateBytes = 1024 * 1024 * 1024;

export function runStatePull(options: { state?: string }): Promise<void> {
  return reportingStateErrors(async () => {
    await usingStateStore(stateLocation(options.state), async (store) => {
      const state = await store.read();
      if (state === undefined) throw new StateError(`nothing has been applied to the state ${store.describe()}: there is no state to pull`);
      process.stdout.write(serializeState(state));
    });
    process.exitCode = exitOk;
  });
}

export function runStatePush(file: string, options: { state?: string; force?: boolean; lockTimeout: number }): Promise<void> {
  return reportingStateErrors(async () => {
    const name = file === "-" ? "(stdin)" : file;
    const incoming = parseState(await readPushed(file, name), name, "nothing was pushed");
    await usingStateStore(stateLocation(options.state), (store) =>
      withStateLock(store, "state push", lockWait(options.lockTimeout), async (lock) => {
        const current = await store.read();
        const decision = decidePush(incoming, current, options.force === true, store.describe());
        if (!decision.ok) throw new StateError(`${decision.problem}; nothing was pushed`);
        await store.write(decision.next, lock, versionOf(current), { operation: "state push" });
        process.stdout.write(`Pushed ${name} to the state ${store.describe()}: serial ${decision.next.serial} of lineage ${decision.next.lineage}.\n`);
      }),
    );
    process.exitCode = exitOk;
  });
}

export function runStateHistory(options: { state?: string; format: HistoryFormat }): Promise<void> {
  return reportingStateErrors(async () => {
    await usingStateStore(stateLocation(options.state), async (store) => {
      process.stdout.write(historyRenderers[options.format](await store.history(), store.describe()));
    });
    process.exitCode = exitOk;
  });
}

async function readPushed(file: string, name: string): Promise<string> {
  if (file === "-") return readStdin(name);
  const read = await readBoundedFile(file, { maxBytes: largestStateBytes, timeoutMs: 60_000 });
  if (!read.ok) throw new StateError(`the state to push ${name} ${read.reason}; nothing was pushed`);
  return read.bytes.toString("utf8");
}

/** Standard input, usually a pipe from `fabricate state pull` (which readBoundedFile rightly refuses). */
async function readStdin(name: string): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > largestStateBytes) throw new StateError(`the state to push ${name} is larger than ${largestStateBytes} bytes; nothing was pushed`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}
