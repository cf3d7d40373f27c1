// Google Takeout's labels: read only from its own first two fields, and turned into the folder Gmail kept it in.
import { describe, expect, it } from 'vitest';
import { gmailFolder, takeoutLabels } from '../../src/parse/gmail-labels.js';

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
