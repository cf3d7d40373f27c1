// A resolver that records every answer it relays (name, type, answer or failure, time) and bounds every
// query in time, so DNS trouble becomes a recorded temperror and never a hang. Clock and sink are injected.
// It also memoises answers for the run: one message asks the same name at most once, and the evidence lists
// each record once.

import { type DnsAnswer, type DnsResolver, statusOfError, errorForStatus, answerSize, MAX_ANSWER_BYTES } from './dns.js';

export interface RecordingOptions {
  /** Where answers come from, for the record. */
  source: DnsAnswer['source'];
  /** Clock for the time of query. */
  now: () => Date;
  /** Called once per distinct query with the answer as evidence. */
  onAnswer?: (a: DnsAnswer) => void;
  /** Give up on one query after this many milliseconds (temperror "timeout"). Default 5000. */
  timeoutMs?: number;
  /** When the inner resolver knows when an answer was originally recorded (store, snapshot), use that time. */
  recordedAt?: (name: string, type: string) => string | null;
}

export interface RecordingResolver extends DnsResolver {
  /** Every distinct answer relayed so far, in query order. */
  answers(): DnsAnswer[];
}

export function recordingResolver(inner: DnsResolver, opts: RecordingOptions): RecordingResolver {
  const timeoutMs = opts.timeoutMs ?? 5000;
  const seen = new Map<string, Promise<unknown>>();
  const answers: DnsAnswer[] = [];

  const ask = async (name: string, type: string): Promise<unknown> => {
    const started = opts.now().toISOString();
    const at = (): string => opts.recordedAt?.(name, type) ?? started;
    let timer: NodeJS.Timeout | undefined;
    try {
      const answer = await Promise.race([
        inner(name, type),
        new Promise((_, reject) => {
          timer = setTimeout(() => reject(errorForStatus('timeout', name, type, `${type} ${name}: no answer within ${timeoutMs} ms`)), timeoutMs);
          timer.unref?.();
        }),
      ]);
      if (answerSize(answer) > MAX_ANSWER_BYTES) {
        const err = errorForStatus('error', name, type, `${type} ${name}: answer larger than any DNS message (${MAX_ANSWER_BYTES} bytes); not believed`);
        record({ name, type, status: 'error', answer: null, error: err.message, at: at(), source: opts.source });
        throw err;
      }
      record({ name, type, status: 'answer', answer, error: null, at: at(), source: opts.source });
      return answer;
    } catch (err) {
      if (!answers.some((a) => a.name === name && a.type === type)) {
        const status = statusOfError(err);
        record({ name, type, status, answer: null, error: (err as Error)?.message?.slice(0, 300) ?? String(err), at: at(), source: opts.source });
      }
      throw err;
    } finally {
      if (timer) clearTimeout(timer);
    }
  };

  function record(a: DnsAnswer): void {
    answers.push(a);
    opts.onAnswer?.(a);
  }

  const fn = (name: string, type: string): Promise<unknown> => {
    const k = `${name.toLowerCase()}\u0000${type}`;
    let p = seen.get(k);
    if (!p) {
      p = ask(name, type);
      seen.set(k, p);
    }
    // Callers get their own copy: mailauth mutates nothing today, but evidence must not change under us.
    return p.then((v) => (v && typeof v === 'object' ? structuredClone(v) : v));
  };
  return Object.assign(fn, { answers: () => [...answers] });
}
