// The state store contract against the PostgreSQL store, on a real server started for this file; each
// case gets a schema of its own, so it starts from an empty database.
import { afterAll, beforeAll } from "vitest";
import { openStateStore } from "../../src/state/openStateStore.js";
import { freshSchema, postgresForThisFile } from "../helpers/postgres.js";
import { describeStateStoreContract } from "./stateStoreContract.js";

const server = postgresForThisFile();
let savedPassword: string | undefined;
beforeAll(() => {
  savedPassword = process.env.PGPASSWORD;
  process.env.PGPASSWORD = server().password;
});
afterAll(() => {
  if (savedPassword === undefined) delete process.env.PGPASSWORD;
  else process.env.PGPASSWORD = savedPassword;
});

describeStateStoreContract("PostgreSQL", async () => {
  const url = server().url({ schema: freshSchema(), sslmode: "disable" });
  return { store: await openStateStore(url), other: () => openStateStore(url), cleanup: async () => undefined };
});
