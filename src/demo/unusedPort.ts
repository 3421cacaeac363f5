// A port on 127.0.0.1 that nothing listens on (bound, read, released), for local servers and for tests
// that need an address where nothing answers.
import { createServer, type AddressInfo } from "node:net";

export async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
