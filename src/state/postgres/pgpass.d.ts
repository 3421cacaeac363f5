// pgpass 1.0 ships no types: the one call fabricate makes.
declare module "pgpass" {
  interface ConnectionInfo {
    readonly host: string;
    readonly port: number;
    readonly database: string;
    readonly user: string;
  }
  function pgpass(connection: ConnectionInfo, callback: (password: string | undefined) => void): void;
  export default pgpass;
}
