// The live DNS resolver (node:dns) with bounded timeouts and retries. Made only by cli/ wiring: core code and
// tests receive a resolver and never reach the network (tests use in-memory resolvers).

import { Resolver } from 'node:dns/promises';
import type { DnsResolver } from './dns.js';

export interface LiveResolverOptions {
  /** Per-try timeout in ms (node:dns `timeout`). */
  timeoutMs?: number;
  /** Tries per query (node:dns `tries`). */
  tries?: number;
  /** Servers to ask instead of the system's (`host` or `host:port`). */
  servers?: string[];
}

export function liveResolver(opts: LiveResolverOptions = {}): DnsResolver {
  const r = new Resolver({ timeout: opts.timeoutMs ?? 2500, tries: opts.tries ?? 2 });
  if (opts.servers?.length) r.setServers(opts.servers);
  return async (name: string, type: string) => {
    switch (type) {
      case 'TXT':
        return r.resolveTxt(name);
      case 'MX':
        return r.resolveMx(name);
      case 'A':
        return r.resolve4(name);
      case 'AAAA':
        return r.resolve6(name);
      case 'PTR':
        return r.resolvePtr(name);
      case 'CNAME':
        return r.resolveCname(name);
      default:
        return r.resolve(name, type);
    }
  };
}
