// Types for unbzip2-stream (it ships none): a factory returning a through-stream (bzip2 in, plain bytes out).
declare module 'unbzip2-stream' {
  import type { Duplex } from 'node:stream';
  function bz2(): Duplex;
  export default bz2;
}
