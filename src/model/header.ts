// A header field as found in a message's header block (RFC 5322 §2.2). Pure data.

export interface HeaderField {
  /** 0-based position in the header block. */
  index: number;
  /** Field name exactly as written (case kept). */
  name: string;
  /** Lower-cased field name, for lookups. */
  key: string;
  /** Value as written (after the colon, folding kept, leading single space kept out). */
  raw: string;
  /** Value unfolded (CRLF/LF + WSP replaced by the WSP) and trimmed. */
  value: string;
  /** Byte offset of the field's first byte within the message. */
  offset: number;
}

export interface HeaderBlock {
  fields: HeaderField[];
  /** Byte length of the header block including the blank separator line (0 when there is none). */
  headerLength: number;
  /** True when the message had a blank line separating header and body. */
  hasBody: boolean;
  /** Problems met while splitting (e.g. a line without a colon, a header block cut short). */
  warnings: string[];
}
