// yaml-language-server, the YAML support behind VS Code's Red Hat YAML extension and other editors,
// driven over LSP on stdio the way an editor drives it: what it reports for a file is what a user of our
// schema sees under their cursor.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { repoRoot } from "./cli.js";

export interface EditorDiagnostic {
  readonly message: string;
  readonly range: { readonly start: { readonly line: number; readonly character: number } };
  readonly severity?: number;
}

type Message = { id?: number; method?: string; params?: unknown; result?: unknown; error?: unknown };

export class YamlLanguageServer {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer = Buffer.alloc(0);
  private nextId = 1;
  private readonly pending = new Map<number, (m: Message) => void>();
  private readonly diagnostics = new Map<string, EditorDiagnostic[]>();
  private readonly waiting: (() => void)[] = [];

  private constructor() {
    const bin = join(repoRoot, "node_modules", "yaml-language-server", "bin", "yaml-language-server");
    this.child = spawn(process.execPath, [bin, "--stdio"], { stdio: ["pipe", "pipe", "pipe"] });
    this.child.stdout.on("data", (chunk: Buffer) => this.receive(chunk));
  }

  /** A server that validates, as an editor with the YAML extension's defaults configures it. */
  static async start(): Promise<YamlLanguageServer> {
    const server = new YamlLanguageServer();
    await server.request("initialize", { processId: process.pid, rootUri: pathToFileURL(repoRoot).href, capabilities: { workspace: { configuration: true } } });
    server.notify("initialized", {});
    server.notify("workspace/didChangeConfiguration", { settings: server.settings() });
    return server;
  }

  private settings() {
    return { yaml: { validate: true, hover: true, completion: true, schemaStore: { enable: false } } };
  }

  /** Opens `path` with `text` and waits for the diagnostics the server publishes for it. */
  async diagnose(path: string, text: string): Promise<EditorDiagnostic[]> {
    const uri = pathToFileURL(path).href;
    this.diagnostics.delete(uri);
    this.notify("textDocument/didOpen", { textDocument: { uri, languageId: "yaml", version: 1, text } });
    while (!this.diagnostics.has(uri)) await new Promise<void>((resolve) => this.waiting.push(resolve));
    return this.diagnostics.get(uri)!;
  }

  async stop(): Promise<void> {
    await this.request("shutdown", null);
    this.notify("exit", null);
    await new Promise((resolve) => this.child.once("close", resolve));
  }

  private send(message: object): void {
    const body = Buffer.from(JSON.stringify({ jsonrpc: "2.0", ...message }), "utf8");
    this.child.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.child.stdin.write(body);
  }

  private request(method: string, params: unknown): Promise<Message> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ id, method, params });
    });
  }

  private notify(method: string, params: unknown): void {
    this.send({ method, params });
  }

  private receive(chunk: Buffer): void {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    for (;;) {
      const headerEnd = this.buffer.indexOf("\r\n\r\n");
      if (headerEnd === -1) return;
      const length = Number(/Content-Length: (\d+)/i.exec(this.buffer.subarray(0, headerEnd).toString("ascii"))?.[1]);
      if (this.buffer.length < headerEnd + 4 + length) return;
      const message = JSON.parse(this.buffer.subarray(headerEnd + 4, headerEnd + 4 + length).toString("utf8")) as Message;
      this.buffer = this.buffer.subarray(headerEnd + 4 + length);
      this.handle(message);
    }
  }

  private handle(m: Message): void {
    if (m.method === undefined && m.id !== undefined) {
      this.pending.get(m.id)?.(m);
      this.pending.delete(m.id);
    } else if (m.method === "workspace/configuration") {
      // One answer per item asked for; the server asks for its "yaml" section and a few editor ones.
      const items = (m.params as { items: { section?: string }[] }).items;
      this.send({ id: m.id, result: items.map((i) => (i.section === "yaml" ? this.settings().yaml : null)) });
    } else if (m.id !== undefined) {
      this.send({ id: m.id, result: null });
    } else if (m.method === "textDocument/publishDiagnostics") {
      const { uri, diagnostics } = m.params as { uri: string; diagnostics: EditorDiagnostic[] };
      this.diagnostics.set(uri, diagnostics);
      for (const wake of this.waiting.splice(0)) wake();
    }
  }
}
