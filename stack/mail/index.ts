// Placeholder until the mail service lands: a mailer that keeps messages in memory.
import { Hono } from 'hono';
import type { StackConfig } from '../config.ts';
import type { Mailer, MailMessage } from './types.ts';

export interface MailService {
  mailer: Mailer;
  /** Mounted at the gateway root: /mail (page) and /mail/v1/messages (JSON). */
  routes: Hono;
  stop(): Promise<void>;
}

export async function createMailService(_config: StackConfig): Promise<MailService> {
  const messages: MailMessage[] = [];
  return {
    mailer: { send: async (message) => void messages.push(message) },
    routes: new Hono().get('/mail/v1/messages', (c) => c.json(messages)),
    stop: async () => {},
  };
}
