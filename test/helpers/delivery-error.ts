import { expect } from 'vitest';
import { DeliveryError } from '../../src/delivery/sink.js';

/** The DeliveryError a send rejected with; fails the test when it resolved or threw anything else. */
export async function deliveryError(promise: Promise<unknown>): Promise<DeliveryError> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DeliveryError);
  return error as DeliveryError;
}
