// SMTP servers for tests, all real sockets on 127.0.0.1: the smtp-server based one (shared with the
// demo), a server that accepts connections and never greets, and a port nothing listens on.
import { createServer, type AddressInfo, type Socket } from "node:net";
export { startLocalSmtpServer, type LocalSmtpServer, type LocalSmtpServerOptions } from "../../src/demo/localSmtpServer.js";
export { unusedPort } from "../../src/demo/unusedPort.js";

export interface SilentServer {
  readonly port: number;
  readonly connections: () => number;
  close(): Promise<void>;
}

/** Accepts TCP connections and says nothing, like a firewall-proxied or wedged server. */
export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let connections = 0;
  const server = createServer((socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    connections: () => connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
