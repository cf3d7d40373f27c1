// The identity of a message as its headers state it: Message-ID, From, To/Cc, Subject, Date,
// Return-Path (RFC 5322 §3.6). Pure. Claims only — nothing here is verified; auth/ does that.
// Encoded words (RFC 2047) are decoded with libmime; addresses are split with nodemailer's
// addressparser (the parser mailparser itself uses).

import libmime from 'libmime';
import addressparser from 'nodemailer/lib/addressparser/index.js';
import type { HeaderBlock, HeaderField } from '../model/header.js';
import { parseReceivedDate } from './received-date.js';

export interface MessageSummary {
  messageId: string | null;
  /** Lower-cased Message-ID without angle brackets, for lookups. */
  messageIdKey: string | null;
  fromAddr: string | null;
  fromName: string | null;
  to: string[];
  cc: string[];
  subject: string | null;
  date: string | null;
  dateRaw: string | null;
  returnPath: string | null;
  warnings: string[];
}

const MAX_ADDRESSES = 1000;

export function summarizeHeaders(block: HeaderBlock): MessageSummary {
  const warnings: string[] = [];
  const first = (key: string): string | null => {
    const all = block.fields.filter((f) => f.key === key);
    if (all.length > 1 && (key === 'from' || key === 'message-id' || key === 'date' || key === 'subject')) {
      warnings.push(`${all.length} ${key} header fields (RFC 5322 allows one); the first is used`);
    }
    return all[0]?.value ?? null;
  };

  const midRaw = first('message-id');
  const messageId = midRaw ? (midRaw.match(/<[^<>\s]*>/)?.[0] ?? midRaw.trim()) : null;
  const fromRaw = first('from');
  const from = fromRaw ? addresses(fromRaw, warnings, 'From')[0] : undefined;
  const dateText = first('date');
  let date: string | null = null;
  if (dateText) {
    const d = parseReceivedDate(dateText);
    date = d.date;
    for (const w of d.warnings) warnings.push(`Date: ${w}`);
  }
  const subject = first('subject');
  const rp = first('return-path');
  return {
    messageId,
    messageIdKey: messageId ? normalizeMessageId(messageId) : null,
    fromAddr: from?.address ?? null,
    fromName: from?.name ? from.name : null,
    to: listOf(block, 'to', warnings),
    cc: listOf(block, 'cc', warnings),
    subject: subject === null ? null : decodeWords(subject),
    date,
    dateRaw: dateText,
    returnPath: rp === null ? null : (rp.match(/<([^<>]*)>/)?.[1] ?? rp.trim()).toLowerCase() || null,
    warnings,
  };
}

/**
 * Every From field with the addresses it names. RFC 5322 §3.6 allows exactly one From field (several authors in it
 * need a Sender field); a second one, often written `From :` in the obsolete syntax, is how a message shows one
 * author to the checks and another to the reader.
 */
export function fromFields(fields: readonly HeaderField[]): { headerIndex: number; addresses: string[] }[] {
  return fields.filter((f) => f.key === 'from').map((f) => ({ headerIndex: f.index, addresses: addresses(f.value, [], 'From').map((a) => a.address).slice(0, MAX_ADDRESSES) }));
}

/** `<AbC@x>` -> `abc@x`: how Message-IDs are compared everywhere in mailtrail. */
export function normalizeMessageId(id: string): string {
  return id.trim().replace(/^<|>$/g, '').toLowerCase();
}

function listOf(block: HeaderBlock, key: string, warnings: string[]): string[] {
  const out: string[] = [];
  for (const f of block.fields) {
    if (f.key !== key) continue;
    for (const a of addresses(f.value, warnings, key)) if (a.address) out.push(a.address);
  }
  return out.slice(0, MAX_ADDRESSES);
}

function addresses(value: string, warnings: string[], label: string): { name: string; address: string }[] {
  try {
    const parsed = addressparser(value.slice(0, 64 * 1024), { flatten: true });
    return parsed
      .filter((p) => typeof p.address === 'string' && p.address.length > 0)
      .map((p) => ({ name: decodeWords(p.name ?? ''), address: (p.address ?? '').toLowerCase() }));
  } catch {
    warnings.push(`${label}: addresses could not be parsed`);
    return [];
  }
}

function decodeWords(s: string): string {
  if (!s.includes('=?')) return s;
  try {
    return libmime.decodeWords(s);
  } catch {
    return s;
  }
}
