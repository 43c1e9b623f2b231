// In-memory token buckets, like GoTrue's tollbooth limiters: a bucket of `limit`
// requests per window, refilled continuously, one bucket per key (IP address or
// email). Buckets live in this process only; a restart forgets them.

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

  /** Whether one more request would be allowed, without taking it. */
  peek(key: string): boolean {
    return this.bucket(key).tokens >= 1;
  }

  private prune(now: number): void {
    for (const [key, bucket] of this.buckets) {
      if (bucket.tokens + ((now - bucket.at) / this.windowMs) * this.limit >= this.limit) this.buckets.delete(key);
    }
  }
}
