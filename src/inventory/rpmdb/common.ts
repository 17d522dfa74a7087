/** A database that cannot be read at all (wrong format, broken structure, over a bound). */
export class RpmDbFormatError extends Error {}

export interface RpmDbLimits {
  /** most packages read from one database */
  maxBlobs: number;
  /** most bytes of header blobs read from one database (a crafted BerkeleyDB can reuse one overflow chain for every record) */
  maxBytes: number;
}

export const DEFAULT_RPMDB_LIMITS: Readonly<RpmDbLimits> = Object.freeze({
  maxBlobs: 1_000_000,
  maxBytes: 512 * 1024 * 1024,
});

/** Counts what a reader has taken so far and stops it at the limits. */
export class Budget {
  private blobs = 0;
  private bytes = 0;
  constructor(private readonly limits: RpmDbLimits) {}

  take(bytes: number): void {
    this.bytes += bytes;
    this.blobs++;
    if (this.blobs > this.limits.maxBlobs)
      throw new RpmDbFormatError(`more than ${this.limits.maxBlobs} packages`);
    if (this.bytes > this.limits.maxBytes)
      throw new RpmDbFormatError(`more than ${this.limits.maxBytes} bytes of package headers`);
  }
}
