// Which state store a run uses, decided in one place from the --state value (or FABRICATE_STATE, or the
// embedded default): a path is the local JSON file; a postgres:// or postgresql:// URL is the shared
// store in PostgreSQL, whose driver is loaded only when a URL asks for it, so that the many runs that
// use a file never pay for it.
import { defaultStatePath } from "./defaultStatePath.js";
import { LocalStateStore } from "./localStateStore.js";
import type { StateStore } from "./stateStore.js";

/** The environment variable that names the state when --state does not. */
export const stateEnvironmentVariable = "FABRICATE_STATE";

/** The state a run uses: the flag's value, else FABRICATE_STATE, else the default file. */
export function stateLocation(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  return flag ?? (env[stateEnvironmentVariable] || undefined) ?? defaultStatePath;
}

export function isDatabaseUrl(location: string): boolean {
  return /^postgres(ql)?:\/\//i.test(location);
}

export async function openStateStore(location: string): Promise<StateStore> {
  if (isDatabaseUrl(location)) return (await import("./postgres/postgresStateStore.js")).openPostgresStateStore(location);
  return new LocalStateStore(location);
}

/** Runs `body` with the store `location` names, and closes it afterwards whatever happens. */
export async function usingStateStore<T>(location: string, body: (store: StateStore) => Promise<T>): Promise<T> {
  const store = await openStateStore(location);
  try {
    return await body(store);
  } finally {
    await store.close();
  }
}
