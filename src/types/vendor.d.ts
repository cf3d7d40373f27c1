// Minimal type declarations for the parts of untyped dependencies we use.

declare module 'libmime' {
  interface Libmime {
    /** Decode RFC 2047 encoded-words (`=?utf-8?Q?...?=`) in a header value. */
    decodeWords(str: string): string;
  }
  const libmime: Libmime;
  export default libmime;
}

declare module 'nodemailer/lib/addressparser/index.js' {
  interface ParsedAddress {
    name: string;
    address?: string;
    group?: ParsedAddress[];
  }
  function addressparser(str: string, options?: { flatten?: boolean }): ParsedAddress[];
  export default addressparser;
}
