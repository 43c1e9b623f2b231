// storage-api's error contract (supabase-api-subset.md §4.6): the body carries the
// intended status as a *string* `statusCode`, while the HTTP status is 400 for every
// client error and 500 for server errors (storage-api's error handler maps every
// renderable error that way; storage-js reads `statusCode` from the body).
// Every layer of the storage service throws StorageError; `respond` renders it.

export interface StorageErrorBody {
  statusCode: string;
  code: string;
  error: string;
  message: string;
}

export class StorageError extends Error {
  constructor(
    /** The status storage-api reports in the body (404, 409, 413, …). */
    readonly statusCode: number,
    readonly code: string,
    /** Legacy short name (`error`); defaults to the code. */
    readonly shortName: string,
    message: string,
    /** HTTP status actually sent; storage-api sends 400 for everything but server errors. */
    readonly httpStatus: number = statusCode >= 500 ? 500 : 400,
  ) {
    super(message);
  }

  body(): StorageErrorBody {
    return { statusCode: String(this.statusCode), code: this.code, error: this.shortName, message: this.message };
  }
}

function error(statusCode: number, code: string, message: string, shortName = code, httpStatus?: number): StorageError {
  return new StorageError(statusCode, code, shortName, message, httpStatus);
}

/** The errors storage-api raises, with its codes, short names and messages. */
export const errors = {
  noSuchBucket: () => error(404, 'NoSuchBucket', 'Bucket not found', 'Bucket not found'),
  noSuchKey: () => error(404, 'NoSuchKey', 'Object not found', 'not_found'),
  /** The object row is there but its bytes are not (storage-api's renderer on a backend 404). */
  bytesMissing: () => error(404, 'NoSuchKey', 'The resource was not found', 'Not found'),
  keyAlreadyExists: () => error(409, 'KeyAlreadyExists', 'The resource already exists', 'Duplicate'),
  bucketAlreadyExists: () => error(409, 'BucketAlreadyExists', 'The resource already exists', 'Duplicate'),
  resourceAlreadyExists: () => error(409, 'ResourceAlreadyExists', 'The resource already exists', 'Duplicate'),
  bucketNotEmpty: () => error(409, 'ResourceNotEmpty', 'The bucket you tried to delete is not empty'),
  accessDenied: (message: string) => error(403, 'AccessDenied', message || 'Access denied', 'Unauthorized'),
  invalidJwt: (message: string) => error(400, 'InvalidJWT', message || 'Invalid JWT'),
  invalidSignature: (message = 'Invalid signature') => error(400, 'InvalidSignature', message),
  expiredSignature: () => error(400, 'ExpiredToken', 'The provided token has expired.'),
  entityTooLarge: () => error(413, 'EntityTooLarge', 'The object exceeded the maximum allowed size', 'Payload too large'),
  invalidMimeType: (mimeType: string) => error(415, 'InvalidMimeType', `mime type ${mimeType} is not supported`, 'invalid_mime_type'),
  invalidKey: (key: string, detail?: string) => error(400, 'InvalidKey', `Invalid key: ${key}${detail ? ` (${detail})` : ''}`),
  invalidBucketName: () => error(400, 'InvalidBucketName', 'Bucket name invalid', 'Invalid Input'),
  invalidFileSizeLimit: () => error(400, 'InvalidRequest', 'Invalid file size format, hint: use 20GB / 20MB / 30KB / 3B'),
  invalidParameter: (name: string, message?: string) => error(400, 'InvalidParameter', message ?? `Invalid Parameter ${name}`),
  invalidRange: () => error(400, 'InvalidRange', 'invalid range provided', 'invalid_range'),
  noContent: (message = 'No content provided') => error(400, 'InvalidRequest', message),
  /** A request body that does not match the route's schema (storage-api: Fastify validation). */
  badRequest: (message: string) => error(400, 'InvalidRequest', message, 'Bad Request'),
  relatedResourceNotFound: () => error(404, 'InvalidRequest', 'The related resource does not exist'),
  routeNotFound: (method: string, url: string) => error(404, 'InvalidRequest', `Route ${method}:${url} not found`, 'Not Found', 404),
  databaseTimeout: () => error(544, 'DatabaseTimeout', 'The connection to the database timed out', 'DatabaseTimeout', 544),
  databaseError: (sqlState: string) => error(500, 'DatabaseError', `database error, code: ${sqlState}`),
  internal: (message = 'Internal server error') => error(500, 'InternalError', message),
};

export interface PostgresErrorLike {
  code: string;
  message: string;
  detail?: string | undefined;
}

export function isPostgresError(value: unknown): value is PostgresErrorLike {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'PostgresError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** A Postgres error raised while acting as the caller, the way storage-api maps them. */
export function fromPostgresError(pg: PostgresErrorLike): StorageError {
  switch (pg.code) {
    case '42501':
      return errors.accessDenied(pg.message.includes('row-level security') ? 'new row violates row-level security policy' : pg.message);
    case '23505':
      return errors.resourceAlreadyExists();
    case '23503':
      return errors.relatedResourceNotFound();
    case '57014':
      return errors.databaseTimeout();
    case '22P02':
      return errors.invalidParameter('value', pg.message || 'Invalid value format or type conversion failed');
    case '22023':
      // `set role` to a role the JWT names but the database lacks.
      if (/^role ".*" does not exist$/.test(pg.message)) return errors.accessDenied(pg.message);
      return errors.databaseError(pg.code);
    default:
      return errors.databaseError(pg.code);
  }
}

/** Anything thrown below the HTTP edge, as a StorageError (unknown errors become 500s). */
export function toStorageError(value: unknown): StorageError {
  if (value instanceof StorageError) return value;
  if (isPostgresError(value)) return fromPostgresError(value);
  return errors.internal();
}
