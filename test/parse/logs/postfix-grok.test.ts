// The postfix-grok-patterns test suite (191 YAML cases: one Postfix message without the syslog prefix, plus the
// fields grok is expected to extract) as an oracle for parsePostfixMessage. Read in place from ../shared/corpus.
// We assert a field-agreement rate over the fields we map (FIELD_MAP below), not whole-object equality: grok
// extracts many fields we do not model (TLS details, anvil statistics) and names others differently.
// YAML is read with the failsafe schema: a queue id like 413E164734 is a string, not 4.13e166.
import { readdirSync, readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { LogEvent } from '../../../src/model/log-event.js';
import { parsePostfixMessage } from '../../../src/parse/logs/postfix.js';
import { corpusPath, describeCorpus } from '../../helpers/corpus.js';

const DIR = corpusPath('logs', 'postfix', 'postfix-grok-patterns-tests');

/** Cases we do not run, one reason each. Keyed by file name. */
const SKIP: Record<string, string> = {
  'anvil_0002.yaml': 'anvil statistics name a client but describe no connection; anvil lines are noise by design',
  'anvil_0003.yaml': 'anvil statistics (see anvil_0002)',
  'anvil_0004.yaml': 'anvil statistics (see anvil_0002)',
  'anvil_0005.yaml': 'anvil statistics (see anvil_0002)',
  'anvil_0006.yaml': 'anvil statistics (see anvil_0002)',
  'anvil_0007.yaml': 'anvil statistics (see anvil_0002)',
  'relay_0001.yaml': 'POSTFIX_RELAY is a pattern fragment (`host[socket]`), not a log message',
  'delays_0001.yaml': 'POSTFIX_DELAYS is a pattern fragment, not a log message',
};

/** Grok postfix_status word → the LogStatus values that agree with it (Postfix says `sent` for all deliveries). */
const STATUS_AGREES: Record<string, string[]> = {
  sent: ['sent', 'delivered', 'discarded'],
  deferred: ['deferred'],
  bounced: ['bounced'],
  expired: ['expired'],
  'undeliverable-but-not-cached': ['probed'],
};

type Getter = (ev: LogEvent) => unknown;
/**
 * Grok field → our field. postfix_queueid `NOQUEUE` agrees with queueId null. The four *_response fields all map
 * to `reply`. from/to/orig_to inside postfix_keyvalue_data are compared as well (see kvFields).
 */
const FIELD_MAP: Record<string, Getter> = {
  postfix_queueid: (e) => e.queueId ?? 'NOQUEUE',
  postfix_client_hostname: (e) => e.client?.host ?? null,
  postfix_client_ip: (e) => e.client?.ip ?? null,
  postfix_client_port: (e) => e.client?.port ?? null,
  postfix_relay_hostname: (e) => e.relay?.host ?? null,
  postfix_relay_ip: (e) => e.relay?.ip ?? null,
  postfix_relay_port: (e) => e.relay?.port ?? null,
  postfix_status: (e) => e.status,
  postfix_smtp_response: (e) => e.reply,
  postfix_local_response: (e) => e.reply,
  postfix_pipe_response: (e) => e.reply,
  postfix_error_response: (e) => e.reply,
  postfix_status_code_enhanced: (e) => e.dsn,
  postfix_proxy_status_code_enhanced: (e) => e.dsn,
  postfix_from: (e) => e.from,
  'postfix_message-id': (e) => e.messageId,
  postfix_bounce_queueid: (e) => e.relatedQueueId,
};

function serviceOf(pattern: string): string {
  const m = /POSTFIX_([A-Z_]+)/.exec(pattern);
  return (m?.[1] ?? '').toLowerCase().replace('_', '-');
}

/** from/to/orig_to out of grok's postfix_keyvalue_data string. */
function kvFields(kv: string): Array<[string, string, Getter]> {
  const out: Array<[string, string, Getter]> = [];
  for (const m of kv.matchAll(/(?:^|[\s,])(from|to|orig_to)=(<[^>]*>|[^,\s]+)/g)) {
    const key = m[1] ?? '';
    const raw = m[2] ?? '';
    const v = raw.startsWith('<') ? raw.slice(1, -1) : raw;
    const get: Getter = key === 'from' ? (e) => e.from : key === 'to' ? (e) => e.to : (e) => e.origTo;
    out.push([`kv.${key}`, v, get]);
  }
  return out;
}

function agrees(field: string, expected: unknown, actual: unknown): boolean {
  if (field === 'postfix_status') return (STATUS_AGREES[String(expected)] ?? [String(expected)]).includes(String(actual));
  return String(expected) === String(actual ?? '');
}

describeCorpus('postfix-grok-patterns oracle', () => {
  it('agrees with grok on at least 95% of mapped fields', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.yaml')).sort();
    expect(files.length).toBe(191);
    let total = 0, agreed = 0, cases = 0;
    const misses: string[] = [];
    for (const f of files) {
      if (SKIP[f]) continue;
      const doc = parseYaml(readFileSync(`${DIR}/${f}`, 'utf8'), { schema: 'failsafe' }) as { pattern: string; data: string; results?: Record<string, unknown> };
      const results = doc.results ?? {};
      const ev = parsePostfixMessage(String(doc.data), serviceOf(doc.pattern), { line: 1, offset: 0 }, null);
      const checks: Array<[string, unknown, Getter]> = [];
      for (const [k, v] of Object.entries(results)) {
        const g = FIELD_MAP[k];
        if (g) checks.push([k, v, g]);
        if (k === 'postfix_keyvalue_data') checks.push(...kvFields(String(v)));
      }
      if (checks.length === 0) continue;
      cases++;
      for (const [k, v, g] of checks) {
        total++;
        const actual = ev === null ? null : g(ev);
        if (ev !== null && agrees(k, v, actual)) agreed++;
        else misses.push(`${f} ${k}: expected ${JSON.stringify(v)} got ${JSON.stringify(actual)}`);
      }
    }
    const rate = agreed / total;
    console.log(`postfix grok oracle: ${agreed}/${total} mapped fields agree (${(rate * 100).toFixed(1)}%) over ${cases} cases; ${Object.keys(SKIP).length} skipped`);
    if (misses.length > 0) console.log(`disagreements:\n  ${misses.join('\n  ')}`);
    expect(rate).toBeGreaterThanOrEqual(0.95);
  });
});
