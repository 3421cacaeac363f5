// The state store contract, run against every store that needs no server: the local JSON file and the
// in-memory store (the PostgreSQL store runs it in its own file, beside the server it starts).
import { join } from "node:path";
import { LocalStateStore } from "../../src/state/localStateStore.js";
import { tempDir } from "../helpers/cli.js";
import { MemoryStateStore } from "./memoryStateStore.js";
import { describeStateStoreContract } from "./stateStoreContract.js";

describeStateStoreContract("local file", async () => {
  const { dir, cleanup } = tempDir();
  const path = join(dir, "nested", "state.json");
  return { store: new LocalStateStore(path), other: async () => new LocalStateStore(path), cleanup: async () => cleanup() };
});

describeStateStoreContract("in-memory", async () => {
  const store = new MemoryStateStore();
  return { store, other: async () => store, cleanup: async () => undefined };
});
