// The mailer contract: Auth and the product send every message through it.
export interface MailMessage {
  to: string;
  subject: string;
  /** Plain-text body (always present). */
  text: string;
  html?: string;
  /** What the message is about, e.g. `signup`, `invite`, `recovery`, `offer_made`. */
  kind: string;
}

export interface StoredMail extends MailMessage {
  id: string;
  /** ISO timestamp. */
  sentAt: string;
  /** Links found in the body, in order (what a tester clicks). */
  links: string[];
}

export interface Mailer {
  send(message: MailMessage): Promise<void>;
}
