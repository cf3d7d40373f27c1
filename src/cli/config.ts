// One validated run configuration, built once from commander's global options and the environment.
// Only cli/ reads process.env; everything below receives this object.

import { z } from 'zod';

export const RunConfigSchema = z.object({
  db: z.string().min(1),
  color: z.enum(['auto', 'always', 'never']),
  /** chalk level decided once: 0 none, 1 basic, 2 256, 3 truecolor. */
  colorLevel: z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(3)]),
  debug: z.boolean(),
  quiet: z.boolean(),
  stderrIsTTY: z.boolean(),
  /** Terminal width for tables; 80 when not a terminal (output never depends on the TTY beyond decoration). */
  columns: z.number().int().positive(),
});
export type RunConfig = z.infer<typeof RunConfigSchema>;

export interface GlobalOptions {
  db?: string;
  color?: string;
  debug?: boolean;
  quiet?: boolean;
}

export function buildRunConfig(opts: GlobalOptions, env: NodeJS.ProcessEnv, stdout: { isTTY?: boolean; columns?: number }, stderr: { isTTY?: boolean }): RunConfig {
  const color = (opts.color ?? 'auto') as RunConfig['color'];
  let level: RunConfig['colorLevel'] = 0;
  if (color === 'always') level = 1;
  else if (color === 'auto') {
    const disabled = (env.NO_COLOR !== undefined && env.NO_COLOR !== '') || env.TERM === 'dumb';
    level = !disabled && stdout.isTTY ? 1 : 0;
  }
  return RunConfigSchema.parse({
    db: opts.db ?? env.MAILTRAIL_DB ?? 'mailtrail.db',
    color,
    colorLevel: level,
    debug: opts.debug === true,
    quiet: opts.quiet === true,
    stderrIsTTY: stderr.isTTY === true,
    columns: stdout.isTTY && stdout.columns ? stdout.columns : 80,
  });
}
