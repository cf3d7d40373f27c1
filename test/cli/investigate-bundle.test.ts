// How investigate recognises an evidence bundle and merges its recipe with what the user typed (unit level; the
// byte-for-byte replay through the built CLI is in export.test.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundleReplay, parseRecipe } from '../../src/cli/commands/investigate-bundle.js';
import { tempDir } from '../helpers/mail.js';

const recipe = ['investigate', 'evidence', '--dns-snapshot', 'dns-snapshot.json', '--year', '2026', '--tz', 'UTC',
  '--message-id', '<a@b.test>', '--trust', 'mx.r.test', '--trust', '10.0.0.0/8', '--json'];

function bundle(doc: unknown): string {
  const dir = tempDir('mailtrail-bundle-unit-');
  mkdirSync(path.join(dir, 'evidence'));
  writeFileSync(path.join(dir, 'bundle.json'), typeof doc === 'string' ? doc : JSON.stringify(doc));
  writeFileSync(path.join(dir, 'dns-snapshot.json'), '{}');
  return dir;
}

describe('investigate on an evidence bundle', () => {
  it('reads the recipe as options: repeated ones collect, bare flags and positionals are skipped', () => {
    expect(parseRecipe(recipe)).toEqual({ dnsSnapshot: 'dns-snapshot.json', year: '2026', tz: 'UTC', messageId: '<a@b.test>', trust: ['mx.r.test', '10.0.0.0/8'] });
  });

  it("fills only what the user did not give; the user's own question replaces the bundle's whole", () => {
    const dir = bundle({ bundleVersion: 1, reproduce: { args: recipe } });
    const own = bundleReplay([dir], { from: 'carol@x.test', around: '2026-11-24 18:00', tz: 'Europe/Berlin' })!;
    expect(own.paths).toEqual([path.join(dir, 'evidence')]);
    expect(own.opts).toMatchObject({ from: 'carol@x.test', tz: 'Europe/Berlin', year: '2026', trust: ['mx.r.test', '10.0.0.0/8'] });
    expect(own.opts.messageId).toBeUndefined();
    const theirs = bundleReplay([dir], { offline: true })!;
    expect(theirs.opts).toMatchObject({ messageId: '<a@b.test>', dnsSnapshot: path.join(dir, 'dns-snapshot.json'), offline: false });
    // Without --offline, DNS is the user's choice (live, or their own snapshot), not silently the bundle's.
    expect(bundleReplay([dir], {})!.opts.dnsSnapshot).toBeUndefined();
  });

  it('a folder whose bundle.json is not mailtrail\'s, several paths, or a file: an ordinary ingest', () => {
    expect(bundleReplay([bundle({ name: 'some-npm-package', version: '1.0.0' })], {})).toBeNull();
    expect(bundleReplay([bundle('not json')], {})).toBeNull();
    const dir = bundle({ bundleVersion: 1, reproduce: { args: recipe } });
    expect(bundleReplay([dir, dir], {})).toBeNull();
    expect(bundleReplay([path.join(dir, 'bundle.json')], {})).toBeNull();
  });

  it('a newer bundle version is refused, naming the file', () => {
    const dir = bundle({ bundleVersion: 2, reproduce: { args: recipe } });
    expect(() => bundleReplay([dir], {})).toThrow(/bundle version 2 is not one this mailtrail reads \(1\)/);
  });
});
