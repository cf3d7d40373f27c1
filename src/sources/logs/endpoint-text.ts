// How a network peer is stored and shown: `host[ip]:port`, parts the log did not state left out. Pure.

import type { LogEndpoint } from '../../model/log-event.js';

export function endpointText(ep: LogEndpoint | null): string | null {
  if (ep === null || (ep.host === null && ep.ip === null)) return null;
  if (ep.ip === null && ep.port === null) return ep.host; // `host[private/socket]`: no concatenation to flatten later
  return `${ep.host ?? ''}${ep.ip === null ? '' : `[${ep.ip}]`}${ep.port === null ? '' : `:${ep.port}`}`;
}
