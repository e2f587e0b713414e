/*
 * `ignoreBOM: true` keeps a U+FEFF that belongs to a record: TextDecoder would otherwise drop it
 * from the start of every decode() call and `text` would no longer be the record's bytes.
 */
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lossyDecoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });

export interface DecodedText {
  text: string;
  /** The bytes were not valid UTF-8; `text` is a lossy decoding (U+FFFD for bad sequences). */
  encodingError: boolean;
}

/** Decode a record's bytes strictly, falling back to a flagged lossy decoding (reliability §3.6). */
export function decodeRecordText(bytes: Uint8Array): DecodedText {
  try {
    return { text: strictDecoder.decode(bytes), encodingError: false };
  } catch {
    return { text: lossyDecoder.decode(bytes), encodingError: true };
  }
}
