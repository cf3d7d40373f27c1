// Message patterns per bounce reason (Sisimai's vocabulary), written from the wording real MTAs and
// providers use (Postfix, Exim, Sendmail, qmail, Exchange/Office 365, Gmail, Yahoo…) and cross-checked
// with how Sisimai's lib/Sisimai/Reason/*.pm classify. Pure data. Each pattern is a plain alternation
// over lower-cased, whitespace-collapsed text (bounded repeats only, no nested quantifiers).

import type { BounceReason } from '../../model/dsn.js';

const P = (parts: string[]): RegExp => new RegExp(parts.join('|'));

export const TEXT: Partial<Record<BounceReason, RegExp>> = {
  mailboxfull: P([
    'mailbox (?:is )?full', 'mailbox.{0,20}(?:exceed|quota|size limit)', 'quota (?:is )?exceeded', 'over ?quota',
    'exceeded (?:its |the |his |her )?(?:storage|quota|mailbox)', 'disk quota', 'insufficient (?:disk )?space',
    'no space left', 'full mailbox', 'mailfolder is full', 'not enough (?:storage|space)', 'user.{0,10}quota',
    'boite du destinataire pleine', 'too much mail data', "space has been used up", 'mailbox would exceed',
    'has too many messages', 'account is (?:over|full)', 'storage (?:allocation|limit)',
  ]),
  mesgtoobig: P([
    'message (?:is )?too (?:big|large)', 'message size exceeds', 'size (?:limit )?exceeded', 'exceeds? (?:the )?(?:maximum|size)',
    'message length exceeds', 'mail size limit', 'message file too big', 'too big for', 'larger than (?:the )?(?:maximum|allowed)',
    'maximum message size', 'message exceeded .{0,20}size',
  ]),
  exceedlimit: P(['message header size exceeds limit', 'message too large for this recipient']),
  suspend: P([
    'account (?:has been |is )?(?:disabled|suspended|deactivated|inactive|expired|locked|blocked)',
    'mailbox (?:has been |is )?(?:disabled|suspended|deactivated|inactive|temporarily (?:disabled|unavailable))',
    'user (?:account )?(?:is )?(?:suspended|disabled)', 'recipient (?:is )?suspended', 'boite du destinataire archivee',
    'email account that you tried to reach is (?:disabled|inactive)', 'is a deactivated mailbox', 'has been suspended',
    'user account disabled', 'not active', 'mailbox is frozen', 'mailbox unavailable for this user', 'currently suspended',
  ]),
  hasmoved: P([' has been replaced by ', 'mailbox has moved', 'address has (?:been )?changed', 'no longer (?:with|at) ']),
  norelaying: P([
    'relay(?:ing)? (?:access )?(?:denied|not permitted|not allowed|prohibited)', 'not (?:permitted|allowed) to relay',
    'unable to relay', "we do not relay", 'no relaying', 'relay not permitted', "domain isn't in my list of allowed rcpthosts",
    'insecure mail relay', 'not our customer', 'relaying mail to .{0,40} is not allowed',
  ]),
  authfailure: P([
    'spf (?:check )?fail', 'spf validation', 'dkim (?:check )?fail', 'dmarc (?:policy|check|verification|fail)',
    'sender policy framework', 'failed (?:the )?spf', 'not pass (?:dmarc|spf|dkim)', 'unauthenticated email',
    'authentication checks? fail', '5\\.7\\.2[0-46]', 'inspect your spf settings', 'per it.?s spf record', 'does not designate .{0,80} as permitted sender',
    'dkim signature', "sender's domain .{0,40} spf", 'spf.{0,20}(?:hard)?fail', 'is not authorized by',
  ]),
  userunknown: P([
    'user ?unknown', 'unknown (?:user|recipient|local ?part|mailbox|address|e-?mail address)', 'no such (?:user|mailbox|recipient|address|person|local user)',
    'user (?:does not|doesn\'t) exist', '(?:mailbox|address|recipient|account|user|e-?mail address) (?:does not|doesn\'t|did not) exist',
    '(?:address|recipient|user|mailbox) not (?:found|known|listed|exist)', 'not listed in (?:domino )?directory', 'ディレクトリには見つかりません', 'ディレクトリのリストにありません', 'invalid final delivery userid', 'recipient address rejected\\.$', 'recipient address rejected\\. \\(in reply',
    'invalid (?:recipient|mailbox|address|user)', 'recipient (?:address )?rejected: (?:unknown|invalid|user)',
    'mailbox (?:is )?unavailable', 'mailbox not (?:found|present|available)', 'is not a (?:valid|known) (?:mailbox|user|recipient)',
    'not a valid (?:recipient|user|mailbox)', 'recipient not (?:found|ok|exist)', 'recipient name is not recognized',
    'unknown or illegal alias', 'bad (?:destination )?(?:mailbox|recipient)', 'no mailbox (?:here|by that name|found)',
    'account (?:does not|doesn\'t) exist', 'resolver\\.adr\\.recip(?:ient)?notfound', 'badrcptto', 'not have an account',
    'no account by that name', 'address (?:is )?invalid', 'email account that you tried to reach does not exist',
    'address rejected.{0,20}(?:unknown|invalid)', 'no one at this address', 'nonexist(?:ent)? (?:user|mailbox)',
    "isn't in my list of allowed rcpthosts", 'this user doesn\'t have a', 'not a known user', 'utilisateur inconnu',
    'recipient is not local', "user's email name is not found", 'unrouteable address', 'unknown user account',
    'no such person', 'mailbox name not allowed', 'user not local', 'address no longer accepts mail',
    'is not a valid mailbox', 'destination addresses were unknown', 'user doesn.t have a', 'requested action not taken: mailbox unavailable',
    'does not exist at the organization', 'no mail box available', 'recipient address rejected: access denied',
    'the following recipients? (?:was|were) undeliverable', 'no valid recipients', 'invalid address', 'undeliverable address',
  ]),
  filtered: P([
    'message filtered', 'rejected due to user rules', 'user refuses to receive', 'refused due to recipient preferences',
    'only accepting mail from specific', 'user reject', 'blocked by the recipient', 'is not accepting any mail',
    'has restricted sms e-mail', 'bounced address', 'not found recipient account', 'account is protected by',
  ]),
  requireptr: P([
    'no ptr record', 'reverse dns', 'ptr record', 'cannot find your hostname', 'cannot resolve your (?:address|hostname)',
    'client host rejected: cannot find your', 'rdns', 'reverse (?:lookup|mapping)', 'unresolvable (?:address|hostname)',
    'does not have a (?:valid )?ptr', 'unverif[iy]able sending ip', 'forward dns entry does not point to the sending ip', 'no reverse', 'ip name lookup failed', 'hostname (?:does not|doesn\'t) resolve',
  ]),
  notcompliantrfc: P([
    'this message is not rfc 5322 compliant', 'duplicate header', 'multiple (?:from|to|subject|date|message-id) headers',
    'not compliant with rfc', 'multiple addresses in from: header', 'headers? (?:are|is) not (?:rfc )?compliant', 'message contains bare lf', 'not rfc ?5322',
  ]),
  badreputation: P(['ip reputation', 'domain reputation', 'poor reputation', 'bad reputation', 'low reputation', 'sender reputation']),
  contenterror: P(['header (?:syntax|error)', 'illegal attachment', 'invalid header', 'improper use of 8-bit data']),
  rejected: P([
    'sender (?:address )?rejected', 'purported responsible address', 'does not exist e2110', 'sender (?:is )?(?:blacklisted|denied|not allowed|in my black ?list)', 'invalid sender',
    'sender verify failed', 'domain of sender address', 'empty envelope sender', 'null sender',
    'bogus mail from', 'batv', 'mail from not owned', 'sender was rejected', 'sender domain', 'your email address has been blacklisted',
    'returned mail not accepted', 'administrative prohibition', 'unroutable sender', 'sender not pre-approved',
    'access denied \\(in reply to mail from', 'envelope blocked', 'not allowed to post', 'sender.{0,40}(?:does not|doesn.t) exist',
    'fully qualified', 'from: domain is invalid', 'this server does not accept mail from', 'spam reporting address',
    'sending this from a different address', 'message rejected: email address is not verified',
  ]),
  hostunknown: P([
    'host ?unknown', 'unknown host', 'domain (?:does not|doesn\'t) exist', 'domain not found', 'no such domain',
    'host not found', 'name or service not known', 'unrouteable (?:mail )?domain', 'domain (?:name )?(?:is )?(?:not|no longer) (?:valid|exist)',
    'nxdomain', 'no mx (?:record|host)', 'domain could not be found', 'unknown domain', 'recipient domain must exist',
    'illegal host/domain name', 'invalid domain', 'domain .{0,60} unknown', 'no such host', 'could not resolve',
    'dns (?:lookup|error|failure)', 'domain is not reachable', 'account or domain may not exist', 'host or domain name not found', 'unable to resolve', 'mail for .{1,80} loops back to myself',
  ]),
  spamdetected: P([
    // Not bare "spam": "blocked for spamming", "spamhaus.org/query" name the sender's IP, not the content (→ blocked).
    '(?:as|is|be|like|considered|probable|suspected|contains?|identified as|detected as|classified as) spam\\b',
    'spam (?:detected|content|score|message|check|filter|blocked|refused|rejection|rejected|not accepted|email|complaints|points)',
    'spamassassin', 'anti-?spam', 'spam-like', 'spamprofiler', 'spam(?:/| or )virus', '\\bube\\b', 'junk mail', 'unsolicited', 'bulk mail', 'classified as (?:junk|bulk)', 'content filter', 'message content (?:was )?rejected',
    'looks like (?:junk|spam)', 'suspicious', 'blocked for abuse', 'phishing', 'high probability of being', 'likely (?:spam|junk)',
    'listed in (?:uribl|surbl)', 'message (?:was )?(?:rejected|refused) (?:by|as) ', 'policy rejection on the target address',
  ]),
  speeding: P(['(?<!connection )rate limit', 'too many (?:messages|emails|mails) (?:from|sent|in)', 'too many recipients (?:this|per|an|in the last) (?:hour|minute|day)', 'sending too fast', 'exceeded .{0,20}rate', 'receiving mail at a rate', 'throttl', 'too fast']),
  toomanyconn: P([
    'too many (?:connections|concurrent|sessions|recipients|hops|errors)', 'connection limit', 'connection rate limit', '(?:ip|connection) frequency limited', 'concurrent connections',
    'temporarily (?:deferred|rejected).{0,40}(?:connection|limit)', 'too many simultaneous', 'exceeds? (?:the )?(?:number|maximum number) of recipients',
    'number of recipients', 'max(?:imum)? recipients', 'rcpt limit',
  ]),
  blocked: P([
    'blacklist', 'black list', 'blocklist', 'block list', 'blocked using', 'listed (?:in|on|at) ', 'spamhaus', 'spamcop', 'barracudacentral',
    'rbl', 'dnsbl', 'client host (?:\\S+ )?(?:rejected|blocked)', 'ip (?:address )?(?:is )?(?:blocked|banned|listed|rejected)',
    'your ip', 'dynamic ip', 'use the smtp server of your isp', 'connection (?:refused|rejected|dropped|reset)', 'not allowed to send',
    'helo command rejected', 'service not available', 'go away', 'banned sending ip', 'sender ip', 'refused to talk to me',
    'has been blocked by', 'was blocked by', 'host network not allowed', 'blocked by (?:the )?(?:rbl|dnsbl|spamhaus|policy)', 'not accepting (?:mail|connections) from', 'poor reputation', 'is blocked',
  ]),
  virusdetected: P(['virus', 'malware', 'infected', 'trojan', 'dangerous attachment', 'malicious']),
  policyviolation: P([
    'policy violation', 'violates? (?:our |the )?(?:\\w+ )?polic', 'due to (?:local |organizational )?policy', 'policy reasons',
    'prohibited attachment', 'message (?:rejected|blocked) (?:due to|by) (?:local )?policy', 'restricted (?:by|to) (?:policy|the organization)',
    'delivery not authorized', 'content presents a potential', 'not authorized to send', 'email (?:address )?is not permitted',
  ]),
  systemerror: P([
    'system error', 'internal error', 'server error', 'local error',
    'system (?:config|configuration) error', 'misconfigur',
    'permission denied', 'internal server error', 'queue file write error',
  ]),
  networkerror: P([
    'network (?:error|unreachable)', 'hop count exceeded', 'routing loop', 'mail loop', 'loops? detected', 'too many hops', 'no route to host', 'could not connect', 'connection lost',
    'unable to connect', 'network is unreachable', 'lost connection', 'host is unreachable', 'dns (?:timeout|lookup error)',
    'name server timeout', 'malformed or unexpected name server reply', 'could not be delivered because of a network',
  ]),
  systemfull: P(['mail system full', 'system storage', 'disk full', 'insufficient system storage', 'out of disk space']),
  notaccept: P(['does not accept (?:any )?mail', 'null mx', 'not accepting (?:any )?mail', 'accepts no mail', 'smtp (?:service )?(?:is )?disabled', 'host does not accept']),
  expired: P([
    'delivery (?:time )?expired', 'retry (?:timeout|time) exceeded', 'connection timed out', 'message expired', 'too old', 'could not be delivered (?:within|for)',
    'been (?:queued|delayed|undeliverable) (?:for|too long)', 'have been failing for a long time',
    'retry time not reached for any host', 'delivery attempts will continue', 'message could not be delivered for \\d+ days',
    'was not delivered within', 'unable to deliver .{0,40} days', 'no answer from host', 'timeout waiting', 'expired after',
    'queue lifetime', 'maximum time in queue', 'did not accept our requests to connect',
  ]),
  failedstarttls: P(['starttls (?:is )?required', 'must issue a starttls', 'tls (?:is )?required', 'failed to establish tls', 'tls handshake']),
  securityerror: P([
    'authentication required', 'unauthenticated senders? not allowed', 'authentication (?:failed|failure)', 'sender authentication', 'must (?:be )?authenticat',
    'certificate', 'encryption required', 'tls', 'rejected due to security polic',
  ]),
  suppressed: P(['suppression list', 'suppressed', 'previously (?:bounced|unsubscribed|marked as spam)']),
  mailererror: P(['x-unix', 'mailer error', 'program exited', 'command died', 'exited with', 'procmail', 'pipe to \\|', 'unknown mailer']),
  syntaxerror: P(['syntax error', 'command unrecognized', 'unrecognized command', 'bad sequence of commands', 'line too long']),
};

