// Placeholder until the storage service lands: answers 501 so a client sees a clear reason.
import { Hono } from 'hono';
import type { ServiceFactory } from '../service.ts';

export const storageService: ServiceFactory = async () => ({
  routes: new Hono().all('*', (c) => c.json({ message: 'The local storage service is not available yet' }, 501)),
});
