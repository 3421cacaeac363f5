// The work of `fabricate state pull`, `push` and `history`, on whichever store --state names.
import { readBoundedFileInChunks } from "../../files/readBoundedFile.js";
import type { HistoryFormat } from "../../state/historyFormat.js";
import { historyRenderers } from "../../state/historyRenderer.js";
import { stateLocation, usingStateStore } from "../../state/openStateStore.js";
import { decidePush } from "../../state/pushState.js";
import { parseStateChunks, stateChunks } from "../../state/stateDocument.js";
import { StateError, versionOf, type State } from "../../state/stateStore.js";
import { withStateLock } from "../../state/withStateLock.js";
import { exitOk } from "../exitCodes.js";
import { lockWait, reportingStateErrors } from "../stateCommand.js";
import { writeOutput } from "../writeOutput.js";

// A state of 1,000,000 connections is about 880 MB; this leaves room while refusing an endless stream.
const largestStateBytes = 8 * 1024 * 1024 * 1024;

export function runStatePull(options: { state?: string }): Promise<void> {
  return reportingStateErrors(async () => {
    await usingStateStore(stateLocation(options.state), async (store) => {
      const state = await store.read();
      if (state === undefined) throw new StateError(`nothing has been applied to the state ${store.describe()}: there is no state to pull`);
      await writeOutput(stateChunks(state));
    });
    process.exitCode = exitOk;
  });
}

export function runStatePush(file: string, options: { state?: string; force?: boolean; lockTimeout: number }): Promise<void> {
  return reportingStateErrors(async () => {
    const name = file === "-" ? "(stdin)" : file;
    const incoming = await readPushed(file, name);
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

/** The state to push, parsed as it is read. */
async function readPushed(file: string, name: string): Promise<State> {
  const parse = (chunks: AsyncIterable<Buffer>) => parseStateChunks(chunks, name, "nothing was pushed");
  if (file === "-") return parse(boundedStdin(name));
  const read = await readBoundedFileInChunks(file, largestStateBytes, parse);
  if (!read.ok) throw new StateError(`the state to push ${name} ${read.reason}; nothing was pushed`);
  return read.value;
}

/** Standard input, usually a pipe from `fabricate state pull` (which the file reader rightly refuses). */
async function* boundedStdin(name: string): AsyncGenerator<Buffer, void, undefined> {
  let size = 0;
  for await (const chunk of process.stdin as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > largestStateBytes) throw new StateError(`the state to push ${name} is larger than ${largestStateBytes} bytes; nothing was pushed`);
    yield chunk;
  }
}
