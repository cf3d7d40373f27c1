// Clock agreement at a server-to-server hand-off, judged from causality rather than a fixed tolerance. The
// receiving server logs its first line for the message (Postfix smtpd `client=`, at MAIL FROM) before it replies
// 250 to the end of DATA, and the sending server logs `status=sent` only after that reply; the sending server
// began the attempt after its own previous line for the message (qmgr `from=`, or the last deferral). So on
// true time: start ≤ receiver's first line ≤ sent. A receiver line later than `sent` means the receiver's clock
// is ahead; one earlier than `start` means it is behind. Anything in between is transfer time, not skew.
// Logs stamp whole seconds (classic syslog), hence the one-second slack. Pure.

import type { StoredLogEvent } from '../correlate/types.js';

export interface Handoff {
  /** The sending server's line that handed the message on (`status=sent`, with the remote queue id). */
  from: StoredLogEvent;
  /** The receiving server's first line with that queue id. */
  to: StoredLogEvent;
  /** The sending server's last queue-entry line before `from` (the attempt began after it), if any. */
  start: StoredLogEvent | null;
}

export interface HandoffClock {
  /** Receiver's first line minus the sender's `sent` line, in seconds (≤ 0 when the clocks agree). */
  offsetSeconds: number;
  /** How far the receiver's clock is off, at least; null when the times are consistent. */
  skew: { direction: 'ahead' | 'behind'; atLeastSeconds: number } | null;
  /** The sending server's own hold time for this hop (its delay=), when logged. */
  holdSeconds: number | null;
}

/** Whole-second log stamps: each side may be rounded down by up to a second. */
const SLACK_SECONDS = 1;

export function judgeHandoff(h: Handoff): HandoffClock | null {
  if (h.from.timeMs === null || h.to.timeMs === null) return null;
  const offset = (h.to.timeMs - h.from.timeMs) / 1000;
  let skew: HandoffClock['skew'] = null;
  if (offset > SLACK_SECONDS) skew = { direction: 'ahead', atLeastSeconds: round(offset - SLACK_SECONDS) };
  else if (h.start?.timeMs != null) {
    const early = (h.start.timeMs - h.to.timeMs) / 1000;
    if (early > SLACK_SECONDS) skew = { direction: 'behind', atLeastSeconds: round(early - SLACK_SECONDS) };
  }
  return { offsetSeconds: round(offset), skew, holdSeconds: h.from.delay };
}

/** The server-to-server hand-offs among a message's lines: each sender `sent` line with the receiver's first line. */
export function findHandoffs(senderEvents: readonly StoredLogEvent[], all: readonly StoredLogEvent[]): Handoff[] {
  const out: Handoff[] = [];
  for (const e of senderEvents) {
    if (e.status !== 'sent' || e.remoteQueueId === null) continue;
    const to = all.filter((x) => x.queueId === e.remoteQueueId && x.artifactId !== e.artifactId).sort(byTime)[0];
    if (!to) continue;
    // The attempt began after the message last entered the active queue (qmgr `from=`) or, failing that, arrived.
    // Not after another recipient's `sent` line: parallel deliveries overlap.
    const before = senderEvents.filter((x) => x.artifactId === e.artifactId && x.queueId === e.queueId && x.line < e.line && x.timeMs !== null && (x.status === 'queued' || x.status === 'received'));
    out.push({ from: e, to, start: before.sort(byTime)[before.length - 1] ?? null });
  }
  return out;
}

function byTime(a: StoredLogEvent, b: StoredLogEvent): number {
  return (a.timeMs ?? 0) - (b.timeMs ?? 0) || a.line - b.line;
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
