// The forms of "next server's queue id" we recognise in an accepting reply (src/parse/logs/remote-queue-id.ts).
import { describe, expect, it } from 'vitest';
import { parseRemoteQueueId } from '../../../src/parse/logs/remote-queue-id.js';

describe('parseRemoteQueueId', () => {
  it.each([
    ['250 2.0.0 Ok: queued as 153053D', '153053D'],
    ['250 2.0.0 Ok: queued as 3mPVKl3YVXz2pS5Z', '3mPVKl3YVXz2pS5Z'],
    ['250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 4PbC4z6W5Qz3tG3', '4PbC4z6W5Qz3tG3'],
    ['250 OK id=1abcDE-000Xyz-AB', '1abcDE-000Xyz-AB'],
    ['250 OK id=10HmaZ-000000005vi-0000', '10HmaZ-000000005vi-0000'],
    ['250 2.6.0 <a@b> [InternalId=12345678901234, Hostname=AM0PR01MB1234.eurprd01.prod.exchangelabs.com] 9876 bytes in 0.123, 76.4 KB/sec Queued mail for delivery -> 250 2.1.5', '12345678901234'],
    ['250 2.0.0 OK  1700000000 a640c23a62f3a-a9a0f2b1c3dsi123456.789 - gsmtp', 'a640c23a62f3a-a9a0f2b1c3dsi123456.789'],
    ['250 2.0.0 <admin@example.com> qYyyBMsl9FRuZQAAA15QOA Saved', 'qYyyBMsl9FRuZQAAA15QOA'],
    ['250 2.0.0 x9ABCdef012345 Message accepted for delivery', 'x9ABCdef012345'],
    ['ok:  Message 40279894 accepted', '40279894'],
    ['250 ok 1700000000 qp 12345', '12345'],
    ['250 Ok 0100018c1a2b3c4d-5e6f7a8b-1234-5678-9abc-def012345678-000000', '0100018c1a2b3c4d-5e6f7a8b-1234-5678-9abc-def012345678-000000'],
    ['250 2.0.0 Ok', null],
    ['250 2.0.0 Message accepted for delivery', null],
    ['delivered via dovecot service', null],
    ['250 2.1.5 Ok', null],
  ])('%s → %s', (reply, id) => expect(parseRemoteQueueId(reply)).toBe(id));
});
