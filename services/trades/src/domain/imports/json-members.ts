import { ImportFileError } from './types';

/** What the scanner finds in `{ "key": value, …, "<array key>": [ element, … ] }`. */
export type JsonMemberEvent =
  | { kind: 'member'; key: string; text: string; line: number }
  | { kind: 'array-start'; key: string; line: number }
  | { kind: 'element'; text: string; line: number };

type State =
  | 'root'
  | 'key-or-end'
  | 'key-start'
  | 'key'
  | 'colon'
  | 'value-start'
  | 'value'
  | 'after-value'
  | 'element-or-end'
  | 'element-start'
  | 'element'
  | 'after-element'
  | 'done';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COMMA = 0x2c;
const COLON = 0x3a;
const NEWLINE = 0x0a;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isSpace = (code: number) => code === 0x20 || code === NEWLINE || code === 0x0d || code === 0x09;
const startsPrimitive = (code: number) =>
  code === 0x2d || (code >= 0x30 && code <= 0x39) || code === 0x74 || code === 0x66 || code === 0x6e;

/**
 * A streaming scanner for one JSON object whose member `arrayKey` is a (large) array: it hands out each
 * other member's text and each array element's text as soon as it is complete, so only one element is
 * ever held. It checks structure only (brackets, strings, commas); the texts it hands out are parsed
 * with JSON.parse, which catches everything else.
 */
export class JsonMemberScanner {
  private state: State = 'root';
  private line = 1;
  private key = '';
  private parts: string[] = [];
  private partsSize = 0;
  private captureStart = 0;
  private captureLine = 1;
  private kind: 'container' | 'string' | 'primitive' = 'primitive';
  private depth = 0;
  private inString = false;
  private escaped = false;

  constructor(
    private readonly arrayKey: string,
    private readonly limits: { element: number; member: number },
  ) {}

  private fail(message: string): never {
    throw new ImportFileError(`the file is not valid JSON here: ${message}`, { line: this.line });
  }

  private begin(code: number, index: number): void {
    this.captureStart = index;
    this.captureLine = this.line;
    this.parts = [];
    this.partsSize = 0;
    this.escaped = false;
    if (code === OPEN_BRACE || code === OPEN_BRACKET) {
      this.kind = 'container';
      this.depth = 1;
      this.inString = false;
    } else if (code === QUOTE) {
      this.kind = 'string';
      this.inString = true;
    } else if (startsPrimitive(code)) this.kind = 'primitive';
    else this.fail(`unexpected "${String.fromCharCode(code)}"`);
  }

  private parseKey(text: string): string {
    try {
      return String(JSON.parse(text));
    } catch {
      return this.fail(`the member name ${text.slice(0, 40)} is not a valid JSON string`);
    }
  }

  /** Feeds one character of a capture; answers whether the capture ended (inclusive, or before `code`). */
  private step(code: number): 'more' | 'inclusive' | 'exclusive' {
    if (this.kind === 'primitive') {
      return code === COMMA || code === CLOSE_BRACE || code === CLOSE_BRACKET || isSpace(code)
        ? 'exclusive'
        : 'more';
    }
    if (this.inString) {
      if (this.escaped) this.escaped = false;
      else if (code === BACKSLASH) this.escaped = true;
      else if (code === QUOTE) {
        this.inString = false;
        if (this.kind === 'string') return 'inclusive';
      }
      return 'more';
    }
    if (code === QUOTE) this.inString = true;
    else if (code === OPEN_BRACE || code === OPEN_BRACKET) this.depth++;
    else if (code === CLOSE_BRACE || code === CLOSE_BRACKET) {
      this.depth--;
      if (this.depth === 0) return 'inclusive';
    }
    return 'more';
  }

  private captured(chunk: string, end: number): string {
    const limit = this.state === 'element' ? this.limits.element : this.limits.member;
    if (this.partsSize + (end - this.captureStart) > limit) {
      throw new ImportFileError(`a value is larger than ${limit} characters`, { line: this.captureLine });
    }
    const tail = chunk.slice(this.captureStart, end);
    return this.parts.length === 0 ? tail : this.parts.join('') + tail;
  }

  /** The events completed by this chunk. */
  *feed(chunk: string): Generator<JsonMemberEvent> {
    if (this.state === 'key' || this.state === 'value' || this.state === 'element') this.captureStart = 0;
    for (let index = 0; index < chunk.length; index++) {
      const code = chunk.charCodeAt(index);
      if (this.state === 'key' || this.state === 'value' || this.state === 'element') {
        const ended = this.step(code);
        if (ended === 'more') {
          if (code === NEWLINE) this.line++;
          continue;
        }
        const text = this.captured(chunk, ended === 'inclusive' ? index + 1 : index);
        if (this.state === 'key') {
          this.key = this.parseKey(text);
          this.state = 'colon';
        } else if (this.state === 'value') {
          yield { kind: 'member', key: this.key, text, line: this.captureLine };
          this.state = 'after-value';
        } else {
          yield { kind: 'element', text, line: this.captureLine };
          this.state = 'after-element';
        }
        if (ended === 'inclusive') continue;
      }
      if (code === NEWLINE) this.line++;
      if (isSpace(code)) continue;
      switch (this.state) {
        case 'root':
          if (code !== OPEN_BRACE) this.fail('the file must hold one JSON object');
          this.state = 'key-or-end';
          break;
        case 'key-or-end':
        case 'key-start':
          if (code === CLOSE_BRACE && this.state === 'key-or-end') this.state = 'done';
          else if (code === QUOTE) {
            this.begin(code, index);
            this.state = 'key';
          } else this.fail('expected a member name');
          break;
        case 'colon':
          if (code !== COLON) this.fail('expected ":"');
          this.state = 'value-start';
          break;
        case 'value-start':
          if (this.key === this.arrayKey && code === OPEN_BRACKET) {
            yield { kind: 'array-start', key: this.key, line: this.line };
            this.state = 'element-or-end';
          } else {
            this.begin(code, index);
            this.state = 'value';
          }
          break;
        case 'after-value':
          if (code === COMMA) this.state = 'key-start';
          else if (code === CLOSE_BRACE) this.state = 'done';
          else this.fail('expected "," or "}"');
          break;
        case 'element-or-end':
        case 'element-start':
          if (code === CLOSE_BRACKET && this.state === 'element-or-end') this.state = 'after-value';
          else {
            this.begin(code, index);
            this.state = 'element';
          }
          break;
        case 'after-element':
          if (code === COMMA) this.state = 'element-start';
          else if (code === CLOSE_BRACKET) this.state = 'after-value';
          else this.fail('expected "," or "]"');
          break;
        case 'done':
          this.fail('text after the end of the object');
      }
    }
    if (this.state === 'key' || this.state === 'value' || this.state === 'element') {
      const rest = chunk.slice(this.captureStart);
      this.parts.push(rest);
      this.partsSize += rest.length;
      const limit = this.state === 'element' ? this.limits.element : this.limits.member;
      if (this.partsSize > limit) {
        throw new ImportFileError(`a value is larger than ${limit} characters`, { line: this.captureLine });
      }
    }
  }

  /** At the end of the file: the object must be complete. */
  finish(): void {
    if (this.state === 'root') throw new ImportFileError('the file is empty: no JSON object');
    if (this.state !== 'done') this.fail('the file ends before the object does');
  }
}
