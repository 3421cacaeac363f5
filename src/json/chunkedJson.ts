// JSON.parse for documents read in chunks: the state and saved plans of a million connections are
// longer than the longest string V8 can hold (about 512 MiB), so no string may hold the whole text.
//
// The value is the one JSON.parse would give for the whole text, and a text JSON.parse refuses is
// refused (test/json/chunkedJson.test.ts holds it to both). Each container of at most `largest` bytes
// is handed to JSON.parse whole: that is where nearly all the work is done, at JSON.parse's speed.
// Only containers larger than that (the state's list of fabrics, a huge fabric's connections) are
// walked here, member by member.
//
// Where a container ends is guessed from the layout first: in indented JSON (canonical JSON is) a
// container opened on a line indented by N spaces closes on the first later line that is N spaces and
// the closing bracket, and since a JSON string can hold no raw line break, the guess is found with one
// native search instead of reading every byte in JavaScript (which cost as much as JSON.parse itself
// here). A guess is only kept if JSON.parse accepts exactly that slice as one value, which no other
// slice than the container can be; after one wrong guess, the rest of the text is scanned byte by
// byte instead.
//
// Not a library's: @discoveryjs/json-ext's parseChunked merges objects with Object.assign, which turns
// a "__proto__" key into the object's prototype where JSON.parse keeps it as a key.

const enum Expect {
  /** A value: at the start, after a colon or after a comma in an array. */
  Value,
  /** A value or `]`: just after `[`. */
  ValueOrClose,
  /** A key: after a comma in an object. */
  Key,
  /** A key or `}`: just after `{`. */
  KeyOrClose,
  Colon,
  /** `,` or the closing bracket, after a member. */
  CommaOrClose,
  /** Nothing but whitespace: the document's value is complete. */
  End,
}

interface Container {
  readonly value: Record<string, unknown> | unknown[];
  readonly isArray: boolean;
  /** The key whose value comes next, in an object. */
  key: string;
}

const space = 0x20;
const tab = 0x09;
const newline = 0x0a;
const carriageReturn = 0x0d;
const quoteByte = 0x22;
const backslash = 0x5c;
const comma = 0x2c;
const colon = 0x3a;
const openBrace = 0x7b;
const closeBrace = 0x7d;
const openBracket = 0x5b;
const closeBracket = 0x5d;

function isWhitespace(byte: number): boolean {
  return byte === space || byte === newline || byte === carriageReturn || byte === tab;
}

/** Bytes that can continue a number or a literal (true, false, null); JSON.parse decides which are valid. */
function isTokenByte(byte: number): boolean {
  return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7a) || (byte >= 0x41 && byte <= 0x5a) || byte === 0x2b || byte === 0x2d || byte === 0x2e;
}

function invalid(): never {
  throw new SyntaxError("the text is not valid JSON");
}

/** Feeds a document's bytes in chunks; `end` gives its value, or throws a SyntaxError that quotes nothing. */
export class ChunkedJsonParser {
  private window: Buffer = Buffer.alloc(0);
  private position = 0;
  private readonly queued: Buffer[] = [];
  private queuedBytes = 0;
  /** Bytes the next step needs past `position`, unless the text ends first. */
  private wanted = 1;
  private ended = false;
  private expect = Expect.Value;
  private readonly stack: Container[] = [];
  private root: unknown;
  /** Spaces that begin the current line, for the layout guess; -1 once a guess failed. */
  private indent = 0;
  private readonly closings = new Map<number, Buffer>();

  /** @param largest bytes up to which a container is handed to JSON.parse whole. */
  constructor(private readonly largest = 1024 * 1024) {}

  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.queued.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
    this.queuedBytes += chunk.length;
    if (this.window.length - this.position + this.queuedBytes >= this.wanted) this.run();
  }

  end(): unknown {
    this.ended = true;
    this.run();
    if (this.expect !== Expect.End) invalid();
    return this.root;
  }

  private run(): void {
    if (this.queuedBytes > 0) {
      this.window = Buffer.concat([this.window.subarray(this.position), ...this.queued]);
      this.position = 0;
      this.queued.length = 0;
      this.queuedBytes = 0;
    }
    this.wanted = 1;
    while (this.step());
  }

  /** Takes one step; false when it needs bytes that have not come yet (or the text ended). */
  private step(): boolean {
    const buffer = this.window;
    let at = this.position;
    while (at < buffer.length && isWhitespace(buffer[at]!)) {
      if (buffer[at] === newline && this.indent !== -1) {
        let spaces = 0;
        while (buffer[at + 1 + spaces] === space) spaces++;
        this.indent = spaces;
      }
      at++;
    }
    // Whitespace cut off by the chunk's end is read again with what follows, for the line's indent.
    if (at === buffer.length) return this.needMore(buffer.length - this.position + 1);
    this.position = at;
    const byte = buffer[at]!;
    switch (this.expect) {
      case Expect.End:
        return invalid();
      case Expect.Colon:
        if (byte !== colon) invalid();
        this.position = at + 1;
        this.expect = Expect.Value;
        return true;
      case Expect.CommaOrClose:
        if (byte === comma) {
          this.position = at + 1;
          this.expect = this.top().isArray ? Expect.Value : Expect.Key;
          return true;
        }
        return this.close(byte);
      case Expect.KeyOrClose:
        if (byte === closeBrace) return this.close(byte);
        return this.key(byte);
      case Expect.Key:
        return this.key(byte);
      case Expect.ValueOrClose:
        if (byte === closeBracket) return this.close(byte);
        return this.value(byte);
      case Expect.Value:
        return this.value(byte);
    }
  }

  private needMore(bytes: number): false {
    if (this.ended) return false;
    this.wanted = bytes;
    return false;
  }

  private top(): Container {
    return this.stack[this.stack.length - 1]!;
  }

  private key(byte: number): boolean {
    if (byte !== quoteByte) invalid();
    const end = this.stringEnd(this.position);
    if (end === -1) return this.needMore(2 * (this.window.length - this.position));
    this.top().key = this.parseSlice(this.position, end) as string;
    this.position = end;
    this.expect = Expect.Colon;
    return true;
  }

  private value(byte: number): boolean {
    const start = this.position;
    if (byte === openBrace || byte === openBracket) return this.container(byte === openBracket);
    let end: number;
    if (byte === quoteByte) {
      end = this.stringEnd(start);
      if (end === -1) return this.needMore(2 * (this.window.length - start));
    } else {
      end = start;
      while (end < this.window.length && isTokenByte(this.window[end]!)) end++;
      if (end === start) invalid();
      if (end === this.window.length && !this.ended) return this.needMore(end - start + 1);
    }
    this.add(this.parseSlice(start, end));
    this.position = end;
    return true;
  }

  /** A container at `position`: parsed whole if it is small, else opened to be read member by member. */
  private container(isArray: boolean): boolean {
    const start = this.position;
    if (this.window.length - start <= this.largest && !this.ended) return this.needMore(this.largest + 1);
    const guessed = this.parseByLayout(start, isArray);
    const end = guessed ? guessed.end : this.scannedEnd(start);
    if (end !== undefined) {
      this.add(guessed ? guessed.value : this.parseSlice(start, end));
      this.position = end;
      return true;
    }
    this.stack.push({ value: isArray ? [] : {}, isArray, key: "" });
    this.position = start + 1;
    this.expect = isArray ? Expect.ValueOrClose : Expect.KeyOrClose;
    return true;
  }

  /** The container at `start` and its end, found by the layout and confirmed by JSON.parse. */
  private parseByLayout(start: number, isArray: boolean): { readonly value: unknown; readonly end: number } | undefined {
    if (this.indent === -1) return undefined;
    const closing = this.closing(this.indent, isArray);
    const found = this.window.subarray(start, start + this.largest).indexOf(closing);
    if (found === -1) return undefined;
    const end = start + found + closing.length;
    try {
      return { value: this.parseSlice(start, end), end };
    } catch {
      this.indent = -1;
      return undefined;
    }
  }

  /** The end of the container at `start`, read byte by byte within `largest` bytes. */
  private scannedEnd(start: number): number | undefined {
    const buffer = this.window;
    const limit = Math.min(buffer.length, start + this.largest);
    let depth = 0;
    for (let at = start; at < limit; at++) {
      const byte = buffer[at]!;
      if (byte === quoteByte) {
        const end = this.stringEnd(at);
        if (end === -1 || end > limit) return undefined;
        at = end - 1;
      } else if (byte === openBrace || byte === openBracket) depth++;
      else if (byte === closeBrace || byte === closeBracket) {
        depth--;
        if (depth === 0) return at + 1;
      }
    }
    return undefined;
  }

  /** Just past the string's closing quote, or -1 when it does not end within the window. */
  private stringEnd(start: number): number {
    const buffer = this.window;
    for (let at = start + 1; ; at++) {
      at = buffer.indexOf(quoteByte, at);
      if (at === -1) return -1;
      let backslashes = 0;
      while (buffer[at - 1 - backslashes] === backslash) backslashes++;
      if (backslashes % 2 === 0) return at + 1;
    }
  }

  private closing(indent: number, isArray: boolean): Buffer {
    const key = 2 * indent + (isArray ? 1 : 0);
    let closing = this.closings.get(key);
    if (!closing) this.closings.set(key, (closing = Buffer.from(`\n${" ".repeat(indent)}${isArray ? "]" : "}"}`)));
    return closing;
  }

  private close(byte: number): boolean {
    const closed = this.stack.pop();
    if (!closed || byte !== (closed.isArray ? closeBracket : closeBrace)) invalid();
    this.position += 1;
    this.add(closed.value);
    return true;
  }

  private parseSlice(start: number, end: number): unknown {
    return JSON.parse(this.window.toString("utf8", start, end));
  }

  /** A complete value: the document's, or the next member of the innermost open container. */
  private add(value: unknown): void {
    const parent = this.stack[this.stack.length - 1];
    if (!parent) {
      this.root = value;
      this.expect = Expect.End;
      return;
    }
    if (parent.isArray) (parent.value as unknown[]).push(value);
    // As JSON.parse does: "__proto__" is a key like any other, not the object's prototype.
    else if (parent.key === "__proto__") Object.defineProperty(parent.value, parent.key, { value, writable: true, enumerable: true, configurable: true });
    else (parent.value as Record<string, unknown>)[parent.key] = value;
    this.expect = Expect.CommaOrClose;
  }
}

/** The value of the JSON text that `chunks` make up, parsed as they arrive (see ChunkedJsonParser). */
export async function parseJsonChunks(chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, largest?: number): Promise<unknown> {
  const parser = new ChunkedJsonParser(largest);
  for await (const chunk of chunks) parser.push(chunk);
  return parser.end();
}
