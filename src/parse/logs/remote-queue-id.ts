// The next server's queue id, read from the SMTP/LMTP reply it gave when it accepted a message.
// This is the key of the server-to-server link (issue 4): "250 … queued as X" here ↔ X in the receiver's log
// ↔ `id X` in the Received header it added. Pure; indexOf only (linear, no backtracking).
//
// Forms recognised, first match wins:
//   1. `queued as X`            Postfix (`250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3`), also the last hop of a content-filter
//                               chain (`250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as X` → X)
//   2. `[InternalId=X`          Microsoft Exchange / Microsoft 365 (`… [InternalId=1234, Hostname=…] Queued mail for delivery -> 250 2.1.5`)
//   3. `id=X`                   Exim (`250 OK id=1abcDE-000Xyz-AB`), amavis and others (`OK id=X`)
//   4. `X - gsmtp`              Google (`250 2.0.0 OK  1700000000 abc123si456.78 - gsmtp` → the token before ` - gsmtp`)
//   5. `<rcpt> X Saved`         Dovecot LMTP (`250 2.0.0 <u@example.com> qYyyBMsl9FRuZQAAA15QOA Saved`)
//   6. `X Message accepted for delivery`   Sendmail (`250 2.0.0 x9ABCdef012345 Message accepted for delivery`)
//   7. `Message X accepted`     (`ok:  Message 40279894 accepted`, seen in Sendmail stat=Sent replies)
//   8. `qp N`                   qmail (`250 ok 1700000000 qp 12345`)
//   9. `Ok X` with X ≥ 20 chars Amazon SES (`250 Ok 0100018c1a2b3c4d-…-000000`)
// Callers use this only for replies that accepted the message (2xx / status sent or delivered).

const TOKEN_END = ' \t,;)]>"';

function tokenFrom(s: string, i: number): string | null {
  let j = i;
  while (j < s.length && j - i < 128 && !TOKEN_END.includes(s.charAt(j))) j++;
  let t = s.slice(i, j);
  while (t.endsWith('.')) t = t.slice(0, -1);
  return t.length === 0 ? null : t;
}

function tokenBefore(s: string, end: number): string | null {
  let j = end;
  while (j > 0 && s.charCodeAt(j - 1) === 32) j--;
  let i = j;
  while (i > 0 && j - i < 128 && !TOKEN_END.includes(s.charAt(i - 1))) i--;
  const t = s.slice(i, j);
  return t.length === 0 ? null : t;
}

export function parseRemoteQueueId(reply: string): string | null {
  let k = reply.lastIndexOf('queued as ');
  if (k < 0) k = reply.lastIndexOf('Queued as ');
  if (k >= 0) return tokenFrom(reply, k + 10);

  k = reply.indexOf('[InternalId=');
  if (k >= 0) return tokenFrom(reply, k + 12);

  k = reply.indexOf('id=');
  if (k >= 0 && (k === 0 || reply.charCodeAt(k - 1) === 32)) {
    const t = tokenFrom(reply, k + 3);
    if (t !== null) return t;
  }

  k = reply.indexOf(' - gsmtp');
  if (k > 0) return tokenBefore(reply, k);

  k = reply.indexOf(' Saved');
  if (k > 0 && k + 6 === reply.length) return tokenBefore(reply, k);

  k = reply.indexOf(' Message accepted for delivery');
  if (k > 0) {
    const t = tokenBefore(reply, k);
    if (t !== null && !/^\d\.\d{1,3}\.\d{1,3}$/.test(t) && !/^\d{3}$/.test(t)) return t;
  }

  k = reply.indexOf('Message ');
  if (k >= 0) {
    const t = tokenFrom(reply, k + 8);
    if (t !== null && reply.startsWith(' accepted', k + 8 + t.length)) return t;
  }

  k = reply.indexOf(' qp ');
  if (k >= 0) return tokenFrom(reply, k + 4);

  k = reply.indexOf('Ok ');
  if (k >= 0) {
    const t = tokenFrom(reply, k + 3);
    if (t !== null && t.length >= 20) return t;
  }
  return null;
}
