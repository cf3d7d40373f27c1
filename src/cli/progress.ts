// A one-line progress indicator on stderr, only when stderr is a terminal (never in pipes or CI).

import { PROGRESS_LEAD, type Ctx } from './output.js';

export interface Progress {
  update(p: { path: string; bytes: number; messages: number }): void;
  clear(): void;
  done(): void;
}

const NOOP: Progress = { update() {}, clear() {}, done() {} };

export function startProgress(ctx: Ctx, intervalMs = 100): Progress {
  if (!ctx.config.stderrIsTTY || ctx.config.quiet) return NOOP;
  let last = 0;
  let shown = false;
  let total = { messages: 0 };
  let lastPath = '';
  let base = 0;
  return {
    update(p) {
      if (p.path !== lastPath) {
        base = total.messages;
        lastPath = p.path;
      }
      total = { messages: base + p.messages };
      const t = Date.now();
      if (t - last < intervalMs) return;
      last = t;
      const name = p.path.length > 40 ? '…' + p.path.slice(-39) : p.path;
      ctx.io.err(`${PROGRESS_LEAD}${name}: ${(p.bytes / 1e6).toFixed(1)} MB, ${total.messages} message(s)`);
      shown = true;
    },
    clear() {
      if (shown) ctx.io.err(PROGRESS_LEAD);
      shown = false;
    },
    done() {
      this.clear();
    },
  };
}
