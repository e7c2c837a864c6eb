import { describe, expect, it } from 'vitest';
import { fixturesMissingReason } from './helpers/shared-fixtures.js';

describe('shared fixtures', () => {
  it('skips with a reason where fixtures are optional, and fails where they are required', () => {
    const absent = '/nonexistent/fixtures';
    expect(fixturesMissingReason(absent, {})).toMatch(/shared fixtures not found at \/nonexistent\/fixtures; skipping/);
    expect(() => fixturesMissingReason(absent, { REQUIRE_SHARED_FIXTURES: '1' })).toThrow(/cannot be skipped/);
  });
});
