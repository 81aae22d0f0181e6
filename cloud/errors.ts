import type { ErrorBody } from '../common/sync/protocol';

/** An error the service answers with as is: an HTTP status, a stable code and a message. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  readonly extra: Partial<ErrorBody>;

  constructor(status: number, code: string, message: string, extra: Partial<ErrorBody> = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.extra = extra;
  }

  body(): ErrorBody {
    return { ...this.extra, error: this.code, message: this.message };
  }
}

export const badRequest = (message: string): HttpError =>
  new HttpError(400, 'BAD_REQUEST', message);
export const notFound = (what: string): HttpError =>
  new HttpError(404, 'NOT_FOUND', `${what} not found`);
