/**
 * A lease is a named claim that lapses by itself: the holder keeps it by renewing, and a holder
 * that dies loses it within the TTL. Each acquisition carries a token of its own, so a holder
 * that lost its lease (it expired and another took it) can never extend or free the new one.
 */
export interface Lease {
  readonly name: string;
  /** Unique to this acquisition. */
  readonly token: string;
  /** Extends the lease to `ttlMs` from now; false when it was already lost. */
  renew(ttlMs: number): Promise<boolean>;
  /**
   * Keeps the lease, no longer renewed, until `epochMs`; then it lapses. Frees it now when that
   * time has passed. False when it was already lost.
   */
  holdUntil(epochMs: number): Promise<boolean>;
  /** Frees the lease now, if it is still this acquisition's. */
  release(): Promise<void>;
}

export interface Leases {
  /** The lease for `ttlMs`, or null when someone else holds it. */
  tryAcquire(name: string, ttlMs: number): Promise<Lease | null>;
  /** Closes a connection these leases opened themselves (nothing when they share the coordination's, or live in the process). */
  close(): Promise<void>;
}
