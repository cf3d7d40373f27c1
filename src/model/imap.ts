// What an IMAP server said about one message in one folder: the evidence kept in imap_locations and cited by
// investigate ("it is in Junk", "it was opened"). Shared by the store (writes it) and the verdicts (read it).

export interface ImapFacts {
  account: string;
  folder: string;
  /** RFC 6154 special-use attribute of the folder (\Junk, \Trash …), or null. */
  specialUse: string | null;
  uidValidity: string;
  uid: number;
  /** The server's own arrival time (INTERNALDATE), ISO 8601 UTC. */
  internalDate: string | null;
  /** \Seen means it was opened; \Deleted means marked for deletion. */
  flags: string[];
  rfc822Size: number;
}
