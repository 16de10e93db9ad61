import type { BrokerFileInput } from './types';

const SLICE_CHARS = 64 * 1024;
const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;

/**
 * The file as UTF-8 text chunks, byte-order mark removed. Buffers are decoded in streaming mode, so a
 * character split across two chunks is not damaged; invalid bytes become U+FFFD rather than failing
 * the file (a stray Windows-1252 "é" in a broker's description column must not reject a statement).
 */
export async function* decodeText(input: BrokerFileInput): AsyncGenerator<string> {
  if (typeof input === 'string' || input instanceof Uint8Array) {
    const text = typeof input === 'string' ? input : new TextDecoder('utf-8').decode(input);
    // Inline content is handed on in slices too, so parsers hold one slice of records at a time.
    let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
    while (start < text.length) {
      let end = Math.min(start + SLICE_CHARS, text.length);
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) end--;
      yield text.slice(start, end);
      start = end;
    }
    return;
  }
  // TextDecoder drops a leading BOM by default (ignoreBOM: false); string chunks need it done by hand.
  const decoder = new TextDecoder('utf-8');
  let first = true;
  for await (const chunk of input) {
    let text = typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      first = false;
    }
    if (text.length > 0) yield text;
  }
  const rest = decoder.decode();
  if (rest.length > 0) yield rest;
}
