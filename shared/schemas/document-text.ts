/**
 * Turns the bytes of an uploaded or published document into text,
 * refusing anything that is not UTF-8 with a reason a person can act on
 * (a file saved as UTF-16 or Latin-1 is the usual cause).
 */

/** The text, or why the bytes are not UTF-8 text. */
export type DecodedText =
  | {ok: true; text: string}
  | {ok: false; problem: string};

const SAVE_AS_UTF8 = 'save the file as UTF-8 and send it again';

/** Decodes `source` as UTF-8; a string is checked for stray NULs only. */
export function decodeDocumentText(source: string | Uint8Array): DecodedText {
  if (typeof source === 'string') return checkText(source);
  const bytes = source;
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    return {
      ok: false,
      problem: 'is UTF-16 text (it starts with a UTF-16 byte order mark); ' +
        SAVE_AS_UTF8,
    };
  }
  try {
    const text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: false})
      .decode(bytes);
    return checkText(text);
  } catch {
    const offset = firstInvalidUtf8Offset(bytes);
    const byte = bytes[offset] ?? 0;
    return {
      ok: false,
      problem: `is not UTF-8: byte 0x${byte.toString(16).toUpperCase()
        .padStart(2, '0')} at offset ${offset} is not valid UTF-8 ` +
        `(Latin-1 or Windows-1252 text?); ${SAVE_AS_UTF8}`,
    };
  }
}

function checkText(text: string): DecodedText {
  const nul = text.indexOf('\u0000');
  if (nul === -1) return {ok: true, text};
  return {
    ok: false,
    problem: `holds a NUL character at position ${nul} (UTF-16 text ` +
      `without a byte order mark, or binary data?); ${SAVE_AS_UTF8}`,
  };
}

function startsWith(bytes: Uint8Array, prefix: readonly number[]): boolean {
  return prefix.every((value, index) => bytes[index] === value);
}

// Offset of the first byte that does not start or continue a valid
// UTF-8 sequence.
function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index]!;
    const length = lead < 0x80 ? 1
      : lead >= 0xc2 && lead <= 0xdf ? 2
        : lead >= 0xe0 && lead <= 0xef ? 3
          : lead >= 0xf0 && lead <= 0xf4 ? 4 : 0;
    if (length === 0) return index;
    for (let next = 1; next < length; next++) {
      const continuation = bytes[index + next];
      if (continuation === undefined || (continuation & 0xc0) !== 0x80) {
        return index;
      }
    }
    index += length;
  }
  return 0;
}
