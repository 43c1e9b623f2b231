// In-memory token buckets, like GoTrue's tollbooth limiters: a bucket of `limit`
// requests per window, refilled continuously, one bucket per key (client address);
// the growing delay after failed password sign-ins; and which peers may name the
// client in a forwarded header. All state lives in this process; a restart forgets it.
import { BlockList, isIP } from 'node:net';

export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly limit: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private bucket(key: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(key);
    if (!bucket) {
      if (this.buckets.size > 50_000) this.prune(now);
      bucket = { tokens: this.limit, at: now };
      this.buckets.set(key, bucket);
    } else {
      const refill = ((now - bucket.at) / this.windowMs) * this.limit;
      bucket.tokens = Math.min(this.limit, bucket.tokens + refill);
      bucket.at = now;
    }
    return bucket;
  }

  /** Take one request from the key's bucket; false when it is empty. */
  take(key: string): boolean {
    const bucket = this.bucket(key);
    if (bucket.tokens < 1) return false;
    bucket.tokens -= 1;
    return true;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / this.windowMs) * this.limit >= this.limit) this.buckets.delete(key);
    }
  }
}

/**
 * Failed password sign-ins, per key (email address + client address): the first
 * `freeFailures` cost nothing; each failure after them makes that key wait before its
 * next attempt, 1 s, 2 s, 4 s, … up to `maxDelayMs`. Waiting keys are refused without
 * checking the password (otherwise the wait would not slow guessing down). A key is
 * forgotten after a correct password, or `forgetAfterMs` without a failure once its
 * wait is over. Keyed by
 * client as well as address, so nobody can use it to lock an account holder out.
 */
export class PasswordFailureDelay {
  private readonly records = new Map<string, { failures: number; lastFailureAt: number; waitUntil: number }>();

  constructor(
    private readonly freeFailures: number,
    private readonly maxDelayMs: number,
    private readonly forgetAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  private current(key: string, now: number) {
    const record = this.records.get(key);
    if (record && now - record.lastFailureAt >= this.forgetAfterMs && now >= record.waitUntil) {
      this.records.delete(key);
      return undefined;
    }
    return record;
  }

  /** Milliseconds the key must still wait before its next attempt (0: go ahead). */
  waitMs(key: string): number {
    const now = this.now();
    const record = this.current(key, now);
    return record ? Math.max(0, record.waitUntil - now) : 0;
  }

  recordFailure(key: string): void {
    const now = this.now();
    let record = this.current(key, now);
    if (!record) {
      if (this.records.size > 50_000) this.prune(now);
      record = { failures: 0, lastFailureAt: now, waitUntil: now };
      this.records.set(key, record);
    }
    record.failures += 1;
    record.lastFailureAt = now;
    const beyondFree = record.failures - this.freeFailures;
    if (beyondFree > 0) record.waitUntil = now + Math.min(this.maxDelayMs, 1000 * 2 ** Math.min(beyondFree - 1, 30));
  }

  forget(key: string): void {
    this.records.delete(key);
  }

  private prune(now: number): void {
    for (const key of this.records.keys()) this.current(key, now);
  }
}

/**
 * Peers whose forwarded header (X-Forwarded-For) is believed: exact addresses or CIDR
 * ranges, IPv4 or IPv6. Anyone else could write any address into that header.
 */
export class TrustedProxies {
  private readonly list = new BlockList();
  readonly empty: boolean;

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const [address, bits, extra] = entry.split('/');
      const family = isIP(address ?? '');
      if (!address || family === 0 || extra !== undefined || (bits !== undefined && !/^\d+$/.test(bits))) {
        throw new Error(`trusted proxy "${entry}" is not an IP address or CIDR range`);
      }
      const type = family === 6 ? 'ipv6' : 'ipv4';
      if (bits === undefined) this.list.addAddress(address, type);
      else this.list.addSubnet(address, Number(bits), type);
    }
    this.empty = entries.length === 0;
  }

  includes(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 6 ? 'ipv6' : 'ipv4');
  }
}
