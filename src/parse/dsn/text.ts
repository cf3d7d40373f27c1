// Reads the human-readable part of a bounce: which family wrote it (Exim, qmail, Postfix, Sendmail,
// Exchange, Domino, Courier, Gmail, Yahoo…), which recipients failed, and the failure text for each.
// Used for bounces with no message/delivery-status part, and to fill in what a DSN part left out.
// Pure; heuristics are line-based with bounded regexes.

import type { ReportFormat } from '../../model/dsn.js';
import { findOriginalMarker } from './original.js';

/** Opening sentences by which the common MTAs announce a bounce (first match wins). */
const FORMATS: [ReportFormat, RegExp][] = [
  ['qmail', /this is the qmail-send program|qmail-send program at|^hi\. this is the /im],
  ['exim', /this message was created automatically by mail delivery software|could not be delivered to one or more of its recipients|^message .{0,200} delayed/im],
  ['postfix', /this is the mail system at host|this is the (?:postfix|mail) program at host/i],
  ['sendmail', /the original message was received at|-{5} the following addresses had (?:permanent fatal|transient non-fatal) errors/i],
  ['exchange', /did not reach (?:the following|some or all of the intended) recipient|delivery has failed to these recipients|your message (?:to .{1,200} )?couldn't be delivered|the following recipient\(s\) (?:could not be reached|cannot be reached)|diagnostic information for administrators|msexch|remote server returned/i],
  ['domino', /was not delivered to:|not listed in domino directory|lotus notes|domino/i],
  ['courier', /courier mail server at|this is a delivery status notification from/i],
  ['gmail', /delivery to the following recipients? failed|this is an automatically generated delivery status notification|the email account that you tried to reach|google tried to deliver your message/i],
  ['yahoo', /sorry, we were unable to deliver your message to the following address|yahoo/i],
];

/** Lines that say a bounce happened, wherever they are. */
export const BOUNCE_TEXT =
  /undeliver(?:able|ed)|could not be delivered|couldn't be delivered|delivery (?:has )?failed|delivery failure|permanent(?:ly)? (?:fatal )?error|failed to deliver|unable to deliver|was not delivered|did not reach|returned mail|mail delivery (?:failed|failure|system|subsystem)|non-?delivery|delivery status notification|message not delivered|not be delivered|rejected|bounce|delivery problem|delayed|could not deliver|permanent failure/i;

/** Sentences that only a delivery failure notice contains (enough on their own, whoever sent it). */
export const STRONG_BOUNCE_TEXT =
  /could not be delivered to|was not delivered to|delivery to the following recipients? (?:failed|has been delayed)|following addresses had|permanent (?:fatal )?errors?\b|undeliverable to|delivery has failed|unable to deliver (?:your |this )?message to|(?:did not|couldn't) reach (?:the following|some or all)|message could not be delivered|your message (?:was|has been) (?:rejected|returned)|i'm afraid i wasn't able to deliver|^error message below:$/im;

export function detectFormat(text: string): ReportFormat | null {
  for (const [format, re] of FORMATS) if (re.test(text)) return format;
  return null;
}

export interface TextRecipient {
  address: string;
  /** The text that belongs to this recipient (unfolded later), or the whole notice. */
  block: string;
}

const ADDR = /<?((?:[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*|"[^"\n]{1,64}")@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?\.)*[A-Za-z0-9][A-Za-z0-9-]{0,62}|[A-Za-z0-9._%+-]+@\[[0-9.]+\])>?/;
const ADDR_G = new RegExp(ADDR.source, 'g');
const HEADERISH = /^\s*(?:from|to|cc|bcc|sent|date|subject|reply-to|return-path|message-id|received|sender|envelope-from)\s*:/i;
const NOT_RECIPIENT = /^(?:mailer-daemon|mail-daemon|mailerdaemon|double-bounce)@/i;

/** The part of the notice before the returned copy of the message. */
export function noticeText(text: string): string {
  const m = findOriginalMarker(text);
  return (m ? text.slice(0, m.at) : text).slice(0, 100_000);
}

/**
 * Recipients named in the notice. Address lines (an address alone on its line, or followed by `:`,
 * ` on <date>`, `(generated from…)`, `...`) are preferred; otherwise every address outside
 * header-like lines, minus the notice's own sender/recipient.
 */
export function findTextRecipients(notice: string, exclude: Set<string>): TextRecipient[] {
  const lines = notice.split('\n');
  const starts = addressLines(lines, exclude, STRICT_LINE);
  // No strict address line: accept lines that open with an address and go on to say why (Zoho, Biglobe).
  if (starts.length === 0) starts.push(...addressLines(lines, exclude, LOOSE_LINE));
  const out: TextRecipient[] = [];
  const seen = new Set<string>();
  if (starts.length > 0) {
    for (let k = 0; k < starts.length; k++) {
      const s = starts[k];
      if (!s) continue;
      const end = s.own ? s.line + 1 : blockEnd(lines, s, starts[k + 1]?.line ?? lines.length);
      const block = [s.rest, ...lines.slice(s.line + 1, end)].join('\n').trim();
      const prior = out.find((o) => o.address === s.address);
      // An address named twice (Exchange: summary, then "Diagnostic information for administrators") gets both texts.
      if (prior) {
        if (!isEmptyBlock(block) && prior.block !== notice) prior.block = `${prior.block}\n${block}`;
        continue;
      }
      seen.add(s.address);
      out.push({ address: s.address, block: isEmptyBlock(block) ? notice : block });
    }
    return out;
  }
  for (const line of lines) {
    if (HEADERISH.test(line)) continue;
    for (const m of line.matchAll(ADDR_G)) {
      const address = cleanAddress(m[1] ?? '');
      if (!address || NOT_RECIPIENT.test(address) || exclude.has(address) || seen.has(address)) continue;
      seen.add(address);
      out.push({ address, block: notice });
      if (out.length >= 20) return out;
    }
  }
  return out;
}

// `[code] [prefix] <address> [continuation]`. A leading reply code is Sendmail's per-recipient line
// (`550 <a@b>... User unknown`): that line alone is the recipient's error, what follows is the next one's.
const STRICT_LINE =
  /^\s*(?:([45]\d\d)[ -]+)?(?:>>>\s*|\d+\.\s+|[-*]\s+|rcpt to:\s*|recipient:\s*|address:\s*|original recipient:\s*|target mail address:\s*)?["<]?([^\s<>()"',;:]+@[^\s<>()"',;:]+?)[">]?(\s*(?::|\.\.\.|\s+on\s|\(|$|\s+[-:]|\s{2,}|\s+because|\s+\S+\s*$).*)$/i;
const LOOSE_LINE = /^\s*()<?([^\s<>()"',;:]+@[^\s<>()"',;:]+?)>?(\s+\S.*)$/;

/**
 * Where a recipient's text ends: at the next address line, or at the first blank line once the address
 * line itself said why (`addr: Network error…` then boilerplate, as OpenSMTPD and qmail write).
 */
function blockEnd(lines: string[], s: AddressLine, next: number): number {
  if (s.rest.replace(/[\s:.>]/g, '').length < 8) return next;
  for (let i = s.line + 1; i < next; i++) if ((lines[i] ?? '').trim() === '') return i;
  return next;
}

/** Nothing but punctuation and rules ("-----", "====="): the recipient's text is the whole notice. */
function isEmptyBlock(block: string): boolean {
  return block.replace(/[\s:.\-=#*_|]/g, '') === '';
}

interface AddressLine { line: number; address: string; rest: string; own: boolean }

function addressLines(lines: string[], exclude: Set<string>, re: RegExp): AddressLine[] {
  const out: AddressLine[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (HEADERISH.test(line) || line.length > 1000) continue;
    const m = re.exec(line);
    if (!m) continue;
    const address = cleanAddress(m[2] ?? '');
    if (!address || NOT_RECIPIENT.test(address) || exclude.has(address)) continue;
    const own = re === LOOSE_LINE || Boolean(m[1]);
    out.push({ line: i, address, rest: own ? line.trim() : (m[3] ?? ''), own });
  }
  return out;
}

export function cleanAddress(s: string): string | null {
  const m = ADDR.exec(s.replace(/^mailto:/i, ''));
  if (!m?.[1]) return null;
  return m[1].replace(/\.+$/, '').toLowerCase();
}

/** The SMTP command a failure answered, from phrases like "in reply to RCPT TO command". */
export function findCommand(text: string): string | null {
  const t = text.slice(0, 20000);
  const fromTranscript = transcriptCommand(t);
  if (fromTranscript) return fromTranscript;
  const m =
    /(?:in reply to|after|response to|for|during)\s+(?:the\s+)?(end of data|rcpt to|mail from|data|helo|ehlo|starttls|auth|connect|rcpt|mail|banner|initial connection)\b/i.exec(t) ??
    /\b(rcpt to|mail from)\s*(?:command|response)/i.exec(t) ??
    /smtp command:?\s*(data|rcpt|mail)\b/i.exec(t) ??
    /most progress was (rcpt to|mail from|data)/i.exec(t);
  const c = m?.[1]?.toLowerCase() ?? impliedCommand(t);
  if (!c) return null;
  if (c.startsWith('rcpt')) return 'RCPT';
  if (c.startsWith('mail')) return 'MAIL';
  if (c === 'data' || c === 'end of data') return 'DATA';
  if (c === 'helo' || c === 'ehlo' || c === 'banner' || c === 'connect' || c === 'initial connection') return c === 'ehlo' || c === 'helo' ? c.toUpperCase() : 'CONN';
  return c.toUpperCase();
}

/** Wording that names the command without saying it: qmail's "does not like recipient", Postfix's "Recipient address rejected". */
function impliedCommand(t: string): string | null {
  if (/does not like recipient|recipient address rejected/i.test(t)) return 'rcpt';
  if (/but sender was rejected|does not like sender|sender address rejected/i.test(t)) return 'mail';
  if (/but my name was rejected/i.test(t)) return 'helo';
  return null;
}

/**
 * Sendmail/Courier session transcripts (`>>> RCPT To:<…>` then `<<< 550 …`): the command is the last one
 * sent before the first failure reply.
 */
function transcriptCommand(t: string): string | null {
  const reply = /<<<\s*[45]\d\d/.exec(t);
  if (!reply) return null;
  let last: string | null = null;
  for (const m of t.slice(0, reply.index).matchAll(/>>>\s*(RCPT|MAIL|DATA|EHLO|HELO|STARTTLS|AUTH)\b/gi)) last = (m[1] ?? '').toUpperCase();
  // PIPELINING (RFC 2920): RCPT replies can arrive after DATA was sent; a following "503 Need RCPT" /
  // "no valid recipients" shows the failure answered RCPT, not DATA.
  const after = t.slice(reply.index + 3, reply.index + 2000);
  if (last === 'DATA' && /<<<\s*5\d\d\b[^\n]{0,80}(?:need (?:rcpt|recipient)|no valid recipients)/i.test(after)) return 'RCPT';
  return last;
}

/** The remote host a failure came from: Postfix "host X[ip] said", Exim "host X [ip]:", qmail "remote host ip said". */
export function findRemoteHost(text: string): string | null {
  const t = text.slice(0, 20000);
  const m =
    /\bhost\s+([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s*\[[0-9a-fA-F:.]+\]/.exec(t) ??
    /remote host\s+([A-Za-z0-9.:-]+)\s+said/i.exec(t) ??
    /\bremote server\s+(?:\[[^\]]*\]\s*)?(?:returned|said)?[^\n]*?\b([A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+\.[A-Za-z]{2,})\b/i.exec(t) ??
    /<([A-Za-z0-9.-]+\.[A-Za-z]{2,})\s+#\d\.\d\.\d+>/.exec(t);
  return m?.[1]?.toLowerCase() ?? null;
}

/** Collapse whitespace and drop boilerplate so the diagnostic reads as one line. */
export function unfold(s: string, max = 2000): string {
  return s.replace(/\s+/g, ' ').trim().slice(0, max);
}

/** Delay notices: the message is still queued (Exim "Warning: message … delayed", Postfix/Sendmail warnings). */
export const DELAY_TEXT =
  /has not (?:yet )?been delivered|delivery (?:attempts )?will continue|will (?:continue|keep) (?:to )?try(?:ing)?|still (?:being )?(?:retried|trying)|no action is required on your part|delivery (?:is|has been) delayed|delayed mail|warning: message .{0,120} delayed|delivery delayed|temporarily (?:deferred|delayed)|will be retried/i;
