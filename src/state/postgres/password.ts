// Where the state store's password comes from, as libpq looks for it: PGPASSWORD, else the first
// matching line of the password file (PGPASSFILE, else ~/.pgpass, used only when it is private, as libpq
// does). Never from the URL or a flag (databaseUrl.ts refuses those). pg reads ~/.pgpass by itself only
// through a deprecated path that prints a warning, so the lookup is done here with the same pgpass
// module, and pg is handed a function that it calls only when the server asks for a password.
import pgpass from "pgpass";
import { StateError } from "../stateStore.js";
import type { DatabaseLocation } from "./databaseUrl.js";

export function passwordLookup(location: DatabaseLocation, env: NodeJS.ProcessEnv = process.env): () => Promise<string> {
  return async () => {
    if (env.PGPASSWORD) return env.PGPASSWORD;
    const fromFile = await new Promise<string | undefined>((resolve) =>
      pgpass({ host: location.host, port: location.port, database: location.database, user: location.user }, resolve),
    );
    if (fromFile !== undefined) return fromFile;
    // The reason only: the connection names the state around it.
    throw new StateError("the server asks for a password, and none is given: set PGPASSWORD, or add host:port:database:user:password to ~/.pgpass (mode 0600)");
  };
}
