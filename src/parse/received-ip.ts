// IP address tokens as they appear in Received headers: `1.2.3.4`, `[1.2.3.4]`, `[1.2.3.4]:587`,
// `[1.2.3.4.587]` (Exim 3), `1.2.3.4:587`, `[IPv6:2001:db8::1]` (RFC 5321 §4.1.3), `fe80::1%eth0`,
// `user@1.2.3.4` (qmail/sendmail ident). Pure; every regex runs on text capped at MAX_IP_TOKEN chars.

export interface IpToken {
  /** Normalised: no brackets, no `IPv6:` prefix, no port, no zone id; IPv6 lower-cased. */
  ip: string;
  port: number | null;
  /** The RFC 1413 ident user written before `@`, when present. */
  ident: string | null;
  warnings: string[];
}

const MAX_IP_TOKEN = 200;

export function isIPv4(s: string): boolean {
  // Same as /^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/ with every octet <= 255, without the regex and split.
  const n = s.length;
  if (n < 7 || n > 15) return false;
  let octets = 0;
  let digits = 0;
  let value = 0;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? s.charCodeAt(i) : 0x2e;
    if (c >= 0x30 && c <= 0x39) {
      if (++digits > 3) return false;
      value = value * 10 + (c - 0x30);
    } else if (c === 0x2e) {
      if (digits === 0 || value > 255) return false;
      octets++;
      digits = 0;
      value = 0;
    } else {
      return false;
    }
  }
  return octets === 4;
}

export function isIPv6(s: string): boolean {
  if (s.length < 2 || s.length > 45 || !/^[0-9A-Fa-f:.]+$/.test(s)) return false;
  const halves = s.split('::');
  if (halves.length > 2) return false;
  const groups = (h: string): string[] | null => (h === '' ? [] : h.split(':'));
  const parts = halves.map(groups);
  let count = 0;
  for (let p = 0; p < parts.length; p++) {
    const g = parts[p]!;
    for (let k = 0; k < g.length; k++) {
      const grp = g[k]!;
      const last = p === parts.length - 1 && k === g.length - 1;
      if (last && grp.includes('.')) {
        if (!isIPv4(grp)) return false;
        count += 2;
      } else if (/^[0-9A-Fa-f]{1,4}$/.test(grp)) {
        count += 1;
      } else {
        return false;
      }
    }
  }
  return halves.length === 2 ? count < 8 : count === 8;
}

function parsePort(text: string, warnings: string[]): number | null {
  if (!/^\d{1,5}$/.test(text)) {
    warnings.push(`unreadable client port "${text.slice(0, 20)}"`);
    return null;
  }
  const n = Number(text);
  if (n < 1 || n > 65535) {
    warnings.push(`client port ${text} is out of range`);
    return null;
  }
  return n;
}

/** Parse a bare address (no brackets), possibly with a zone id. */
function parseBare(text: string, warnings: string[]): string | null {
  let t = text;
  if (/^IPv6:/i.test(t)) t = t.slice(5);
  const pct = t.indexOf('%');
  if (pct > 0) {
    const zone = t.slice(pct + 1);
    t = t.slice(0, pct);
    if (!isIPv6(t)) return null;
    warnings.push(`zone id "%${zone.slice(0, 20)}" dropped from IPv6 address ${t.toLowerCase()}`);
  }
  if (isIPv4(t)) return t;
  if (isIPv6(t)) return t.toLowerCase();
  return null;
}

/** False when t (no brackets) cannot pass parseBare, even as `a.b.c.d:port`: after an optional `IPv6:`,
 *  everything before a zone id `%` must be hex digits, `:` or `.`. A cheap exact pre-filter. */
function mayBeBareIp(t: string): boolean {
  let i = 0;
  if (t.length >= 5 && (t.charCodeAt(0) | 0x20) === 0x69 && (t.charCodeAt(1) | 0x20) === 0x70 &&
    (t.charCodeAt(2) | 0x20) === 0x76 && t.charCodeAt(3) === 0x36 && t.charCodeAt(4) === 0x3a) i = 5; // IPv6:
  if (i === t.length) return false;
  const pct = t.indexOf('%', i);
  const end = pct > i ? pct : t.length;
  for (; i < end; i++) {
    const c = t.charCodeAt(i);
    const hex = (c >= 0x30 && c <= 0x3a) || c === 0x2e || ((c | 0x20) >= 0x61 && (c | 0x20) <= 0x66); // 0-9 : . a-f A-F
    if (!hex) return false;
  }
  return true;
}

/** Read one token as an IP address, or null when it is not one. */
export function parseIpToken(token: string): IpToken | null {
  let t = token.trim();
  if (t.length === 0 || t.length > MAX_IP_TOKEN) return null;
  const warnings: string[] = [];
  let ident: string | null = null;
  const at = t.lastIndexOf('@');
  if (at >= 0) {
    ident = t.slice(0, at);
    t = t.slice(at + 1);
  }
  if (t.charCodeAt(0) !== 0x5b && !mayBeBareIp(t)) return null; // most words are host names: stop early
  let port: number | null = null;
  let inner = t;
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    if (close < 0) return null;
    inner = t.slice(1, close);
    const suffix = t.slice(close + 1);
    if (suffix.startsWith(':') || suffix.startsWith('.')) port = parsePort(suffix.slice(1), warnings);
    else if (suffix !== '') return null;
    // [1.2.3.4.5678] (Exim 3) and [1.2.3.4:5678] (ecelerity) carry the port inside the brackets.
    const v4port = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3})[.:](\d{1,5})$/.exec(inner);
    if (v4port && port === null) {
      inner = v4port[1]!;
      port = parsePort(v4port[2]!, warnings);
    }
  } else {
    const v4port = /^(\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}):(\d{1,5})$/.exec(t);
    if (v4port) {
      inner = v4port[1]!;
      port = parsePort(v4port[2]!, warnings);
    }
  }
  const ip = parseBare(inner, warnings);
  if (ip === null) return null;
  return { ip, port, ident: ident === '' ? null : ident, warnings };
}
