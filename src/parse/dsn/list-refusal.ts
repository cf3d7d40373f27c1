// Refusals sent by mailing-list software instead of an MTA (Google Groups, fml, ezmlm-style managers):
// the post never reached the list because the sender may not post there (not a member, no permission,
// no such group). Sisimai reports these as bounces with reason "rejected" — the sender was refused.
// Recognised by structure, not by language: the list's own headers or address plus its help link.
// Pure.

import type { HeaderField } from '../../model/header.js';
import { cleanAddress } from './text.js';

export interface ListRefusal {
  /** The list address the post was for. */
  address: string;
  /** What the list said, for the diagnostic. */
  text: string;
}

const NOT_MEMBER = /not (?:a )?member|members?-only|non-?member|not allowed to post|posting (?:is )?(?:not allowed|restricted)/i;

export function findListRefusal(fields: HeaderField[], notice: string): ListRefusal | null {
  const value = (k: string): string => fields.find((f) => f.key === k)?.value ?? '';
  // Google Groups: the failed recipient is the group, and the notice (in the poster's language) links its help.
  const failed = cleanAddress(value('x-failed-recipients'));
  if (failed?.endsWith('@googlegroups.com') && /groups\.google\.com\//i.test(notice)) return { address: failed, text: notice };
  // List managers that mark their own mail (fml: X-MLServer; others: List-Software, Mailing-List).
  const listSoftware = value('x-mlserver') || value('list-software') || value('x-ml-server');
  if (!listSoftware) return null;
  const line = notice.split('\n').find((l) => NOT_MEMBER.test(l));
  if (!line) return null;
  const address = cleanAddress(line) ?? cleanAddress(value('x-ml-name')) ?? cleanAddress(value('list-post'));
  return address ? { address, text: notice } : null;
}
