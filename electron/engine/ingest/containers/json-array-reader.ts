import {
  COLON,
  COMMA,
  LBRACE,
  LBRACKET,
  QUOTE,
  RBRACE,
  RBRACKET,
  REJECT_HEAD_BYTES,
  isJsonWhitespace,
} from './bytes.ts';
import type { ContainerReader, RecordItem, ResolvedOptions } from './container-types.ts';
import { LineCounter } from './line-counter.ts';
import { RecordAccumulator, type AccumulatedBytes } from './record-accumulator.ts';
import { ValueScanner } from './json-value-scanner.ts';
import { jsonRecordItem, rejectItem } from './record-items.ts';

/** Longest wrapper-object key we compare; longer keys are skipped as "not the one". */
const MAX_KEY_BYTES = 4096;
const TRUNCATED = 'truncated JSON document';

type State =
  'root' | 'array' | 'element' | 'key-or-end' | 'key' | 'colon' | 'value' | 'skip' | 'done' | 'junk';

/** Which array holds the records; neither option: a top-level array. */
export interface JsonLayout {
  /** The array under this key of a top-level object (`json-wrapper`). */
  wrapperKey?: string;
  /** No array: each top-level object is a record (`json-objects`, concatenated JSON). */
  topLevelObjects?: boolean;
}

/**
 * Streams the elements of a top-level JSON array (`json-array`), of the array under one key of
 * a top-level object (`json-wrapper`, e.g. CloudTrail's `{"Records":[…]}`), or top-level objects
 * one after another (`json-objects`). Each element's bytes are cut out by a scanner and
 * JSON.parsed on their own, so memory is bounded by one element.
 */
export class JsonArrayReader implements ContainerReader {
  private readonly options: ResolvedOptions;
  private readonly wrapperKey: string | undefined;
  private readonly topLevelObjects: boolean;
  private readonly lines = new LineCounter();
  private readonly scanner = new ValueScanner();
  private readonly element: RecordAccumulator;
  private readonly key = new RecordAccumulator(MAX_KEY_BYTES);
  private state: State = 'root';
  private chunkOffset: number;
  private keyMatches = false;
  private foundWrapperArray = false;
  /** Where the current element (or junk) starts. */
  private startOffset = 0;
  private startLine = 1;
  /** Where, in the current chunk, the bytes of the value being scanned start. */
  private segmentStart = 0;
  private junkLength = 0;
  private junkHead: Uint8Array = new Uint8Array(0);

  constructor(options: ResolvedOptions, startOffset: number, layout: JsonLayout = {}) {
    this.options = options;
    this.wrapperKey = layout.wrapperKey;
    this.topLevelObjects = layout.topLevelObjects === true;
    this.chunkOffset = startOffset;
    this.element = new RecordAccumulator(options.maxRecordBytes);
  }

  *push(buf: Buffer): Generator<RecordItem> {
    this.lines.startChunk(buf);
    this.segmentStart = 0;
    const length = buf.length;
    let i = 0;
    while (i < length) {
      const state = this.state;
      if (state === 'element' || state === 'key' || state === 'skip') {
        const end = this.scanner.scan(buf, i);
        if (end === -1) break;
        if (state === 'element') {
          yield this.elementItem(this.element.take(buf, this.segmentStart, end));
          this.state = this.topLevelObjects ? 'root' : 'array';
        } else if (state === 'key') {
          const key = this.key.take(buf, this.segmentStart, end);
          this.keyMatches = !key.oversize && keyEquals(key.bytes, this.wrapperKey);
          this.state = 'colon';
        } else {
          this.state = 'key-or-end';
        }
        i = end;
      } else if (state === 'junk') {
        this.junkLength += length - i;
        break;
      } else {
        const b = buf[i] as number;
        if (!isJsonWhitespace(b)) this.structural(buf, i, b);
        i++;
      }
    }
    // A value still open at the end of the chunk keeps its bytes from here on.
    if (this.state === 'element') this.element.append(buf, this.segmentStart, length);
    else if (this.state === 'key') this.key.append(buf, this.segmentStart, length);
    this.chunkOffset += length;
  }

  *finish(): Generator<RecordItem> {
    const eof = this.chunkOffset;
    const eofLine = this.lines.lineAt(Number.MAX_SAFE_INTEGER);
    const state = this.state;
    if (state === 'element' && !this.scanner.completeAtEnd) {
      const held = this.element.takeHeld();
      const head = held.oversize ? held.head : Uint8Array.from(held.bytes.subarray(0, REJECT_HEAD_BYTES));
      yield rejectItem(
        this.startOffset,
        this.startLine,
        TRUNCATED,
        head,
        held.oversize ? held.length : held.bytes.length,
      );
      return;
    }
    if (state === 'element') yield this.elementItem(this.element.takeHeld());
    if (state === 'junk') {
      yield rejectItem(this.startOffset, this.startLine, this.junkReason(), this.junkHead, this.junkLength);
    } else if (state !== 'root' && state !== 'done') {
      yield rejectItem(eof, eofLine, TRUNCATED, new Uint8Array(0), 0);
    } else if (state === 'done' && this.wrapperKey !== undefined && !this.foundWrapperArray) {
      yield rejectItem(
        eof,
        eofLine,
        `no array under the key ${JSON.stringify(this.wrapperKey)}`,
        new Uint8Array(0),
        0,
      );
    }
  }

  /** Handle one significant byte outside elements, keys and skipped values. */
  private structural(buf: Buffer, i: number, b: number): void {
    const wrapper = this.wrapperKey !== undefined;
    switch (this.state) {
      case 'root':
      case 'done':
        if (this.topLevelObjects) {
          if (b === LBRACE) this.startValue(buf, i, b, 'element');
          else if (b !== COMMA) this.startJunk(buf, i);
          return;
        }
        // A second top-level array after the first (appended files) is read on.
        if (b === (wrapper ? LBRACE : LBRACKET)) this.state = wrapper ? 'key-or-end' : 'array';
        else this.startJunk(buf, i);
        return;
      case 'array':
        if (b === RBRACKET) this.state = wrapper ? 'key-or-end' : 'done';
        else if (b !== COMMA) this.startValue(buf, i, b, 'element');
        return;
      case 'key-or-end':
        if (b === RBRACE) this.state = 'done';
        else if (b === QUOTE) this.startValue(buf, i, b, 'key');
        else if (b !== COMMA) this.startJunk(buf, i);
        return;
      case 'colon':
        if (b === COLON) this.state = 'value';
        else this.startJunk(buf, i);
        return;
      case 'value':
        if (this.keyMatches && b === LBRACKET) {
          this.foundWrapperArray = true;
          this.state = 'array';
        } else {
          this.startValue(buf, i, b, 'skip');
        }
        return;
      default:
        return;
    }
  }

  /** Begin scanning a value at byte i; the scan resumes at i + 1 and keeps bytes from i on. */
  private startValue(buf: Buffer, i: number, b: number, state: 'element' | 'key' | 'skip'): void {
    if (state === 'element') {
      this.startOffset = this.chunkOffset + i;
      this.startLine = this.lines.lineAt(i);
    }
    this.segmentStart = i;
    this.scanner.begin(b);
    this.state = state;
  }

  private elementItem(span: AccumulatedBytes): RecordItem {
    return jsonRecordItem(
      span,
      this.startOffset,
      this.startLine,
      this.options.maxRecordBytes,
      this.options.maxDepth,
    );
  }

  /** Bytes that cannot be part of the document: one reject runs from here to the end. */
  private startJunk(buf: Buffer, i: number): void {
    this.startOffset = this.chunkOffset + i;
    this.startLine = this.lines.lineAt(i);
    this.junkHead = Uint8Array.from(buf.subarray(i, i + REJECT_HEAD_BYTES));
    this.junkLength = 1;
    this.state = 'junk';
  }

  private junkReason(): string {
    if (this.topLevelObjects) return 'unexpected data where a JSON object was expected';
    return this.wrapperKey === undefined
      ? 'unexpected data where a JSON array was expected'
      : 'unexpected data in the JSON object';
  }
}

function keyEquals(quoted: Buffer, wanted: string | undefined): boolean {
  if (wanted === undefined) return false;
  try {
    return JSON.parse(quoted.toString('utf8')) === wanted;
  } catch {
    return false;
  }
}
