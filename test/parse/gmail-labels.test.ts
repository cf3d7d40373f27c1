// Google Takeout's labels: read only from its own first two fields, and turned into the folder Gmail kept it in;
// Thunderbird's X-Mozilla-Status, read only as the first field, as Maildir letters.
import { describe, expect, it } from 'vitest';
import { gmailFolder, mozillaFlags, takeoutLabels } from '../../src/parse/gmail-labels.js';

describe('takeoutLabels', () => {
  it('reads the labels after X-GM-THRID, unfolded and decoded', () => {
    const m = Buffer.from('X-GM-THRID: 17\r\nX-Gmail-Labels: Inbox,Opened,\r\n =?UTF-8?Q?Clients/Z=C3=BCrich?=\r\nFrom: a@x.test\r\n\r\nhi\r\n');
    expect(takeoutLabels(m)).toEqual(['Inbox', 'Opened', 'Clients/Zürich']);
  });
  it('is null for a message Takeout did not write: labels elsewhere, or no thread id first', () => {
    expect(takeoutLabels(Buffer.from('From: a@x.test\nX-Gmail-Labels: Inbox\n\nhi\n'))).toBeNull();
    expect(takeoutLabels(Buffer.from('X-GM-THRID: 17\nFrom: a@x.test\nX-Gmail-Labels: Spam\n\nhi\n'))).toBeNull();
    expect(takeoutLabels(Buffer.from(''))).toBeNull();
  });
});

describe('gmailFolder', () => {
  it.each([
    [['Spam', 'Inbox'], 'Junk'],
    [['Trash', 'Spam'], 'Trash'],
    [['Inbox', 'Sent'], 'INBOX'],
    [['Sent', 'Opened'], 'Sent'],
    [['Drafts'], 'Drafts'],
    [['Archived', 'Category Updates'], 'All Mail'],
    [[], 'All Mail'],
  ])('%j is in %s', (labels, folder) => {
    expect(gmailFolder(labels)).toBe(folder);
  });
});

describe('mozillaFlags', () => {
  it.each([
    ['0000', ''],
    ['0001', 'S'],
    ['0009', 'ST'],
    ['0007', 'FRS'],
    ['1001', 'PS'],
    ['8001', 'S'],
  ])('X-Mozilla-Status: %s is %j', (v, letters) => {
    expect(mozillaFlags(Buffer.from(`X-Mozilla-Status: ${v}\r\nX-Mozilla-Status2: 00000000\r\nFrom: a@x.test\r\n\r\nhi\r\n`))).toBe(letters);
  });
  it('is null unless Thunderbird wrote it first', () => {
    expect(mozillaFlags(Buffer.from('From: a@x.test\nX-Mozilla-Status: 0001\n\nhi\n'))).toBeNull();
    expect(mozillaFlags(Buffer.from('X-Mozilla-Status: zz01\n\nhi\n'))).toBeNull();
  });
});
