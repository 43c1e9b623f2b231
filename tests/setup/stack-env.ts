// What the `stack` global setup hands to every test file: `inject('stack')`.
export interface TestStack {
  /** e.g. http://127.0.0.1:55421 — the gateway (REST under /rest/v1). */
  apiUrl: string;
  anonKey: string;
  serviceRoleKey: string;
  /** Superuser connection string to the test database. */
  dbUrl: string;
  /** HS256 secret, so tests can mint user JWTs until Auth exists. */
  jwtSecret: string;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stack: TestStack;
  }
}
