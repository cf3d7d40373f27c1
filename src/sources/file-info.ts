// File facts the ingest use case needs without reading messages: size/mtime, and a streamed sha256.
// Read-only: files are opened for reading only.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';

export async function statFile(path: string): Promise<{ size: number; mtime: string } | null> {
  if (path === '-') return null;
  try {
    const st = await stat(path);
    return { size: st.size, mtime: st.mtime.toISOString() };
  } catch {
    return null;
  }
}

export async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}
