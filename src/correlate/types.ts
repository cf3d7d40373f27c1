// The stored evidence the linking works on, as plain data: log events with their source position, and Received
// hops whose `id` is a queue id. The store produces these (store/log-events.ts); correlate/ only reads them.

import type { LogFormat, LogStatus, TimeBasis } from '../model/log-event.js';

/** A stored event with its source: everything needed to cite and re-read the line. */
export interface StoredLogEvent {
  rowId: number;
  artifactId: number;
  sha256: string;
  path: string;
  offsetsIn: 'file' | 'decompressed';
  streamSha256: string | null;
  line: number;
  offset: number;
  timeMs: number | null;
  timeBasis: TimeBasis;
  timeAssumption: string | null;
  format: LogFormat;
  host: string | null;
  program: string | null;
  pid: number | null;
  queueId: string | null;
  messageId: string | null;
  from: string | null;
  to: string | null;
  origTo: string | null;
  relay: string | null;
  client: string | null;
  status: LogStatus | null;
  dsn: string | null;
  reply: string | null;
  remoteQueueId: string | null;
  relatedQueueId: string | null;
  delay: number | null;
  size: number | null;
  nrcpt: number | null;
  detail: string | null;
}


/** A Received hop whose `id` is a queue id: the delivered copy's own record of the server-to-server hand-off. */
export interface StoredHop {
  messageSha256: string;
  messageIdHeader: string | null;
  hopIndex: number;
  headerIndex: number;
  byHost: string | null;
  fromHost: string | null;
  fromIp: string | null;
  queueId: string;
  date: string | null;
  forAddr: string | null;
  artifactSha256: string | null;
  artifactPath: string | null;
  folder: string | null;
}

