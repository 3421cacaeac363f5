// Writes a document that comes in pieces (a plan, a state) to stdout. A plan of a million connections
// is longer than one string can be, so its renderers hand it over in pieces; they are gathered into
// writes of about 64 KiB, and a full stream buffer (an asynchronous pipe) is waited out rather than
// filled without bound.
import { once } from "node:events";

const batchSize = 64 * 1024;

export async function writeOutput(pieces: Iterable<string>, stream: NodeJS.WritableStream = process.stdout): Promise<void> {
  let pending = "";
  for (const piece of pieces) {
    pending += piece;
    if (pending.length >= batchSize) {
      if (!stream.write(pending)) await once(stream, "drain");
      pending = "";
    }
  }
  if (pending.length > 0 && !stream.write(pending)) await once(stream, "drain");
}
