// A one-line progress display on stderr, only when stderr is a terminal: CI logs and pipes get the
// results alone.
export interface Progress {
  update(done: number, total: number): void;
  clear(): void;
}

export function terminalProgress(label: string, stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return { update: () => undefined, clear: () => undefined };
  let shown = false;
  return {
    update(done, total) {
      shown = true;
      stream.write(`\r\u001b[2K${label} ${done}/${total}…`);
    },
    clear() {
      if (shown) stream.write("\r\u001b[2K");
    },
  };
}
