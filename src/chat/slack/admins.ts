/**
 * Who may change things from Slack. Slack has no per-command permissions, so the adapter decides:
 * users listed in SLACK_ADMIN_USERS, and the workspace's admins and owners as `users.info` reports
 * them (never guests: restricted users are refused even if flagged otherwise). Answers are cached
 * for a few minutes (users.info is Tier 4); a failed lookup means "no" and a log line.
 */
import type { WebClient } from '@slack/web-api';
import type { Clock } from '../../clock.js';
import { asWirewatchError } from '../../errors.js';
import type { Logger } from '../../log.js';

/** How the core names the permission in refusals. */
export const SLACK_MANAGE_PERMISSION = 'a workspace admin or owner, or a user listed in SLACK_ADMIN_USERS';
export const DEFAULT_ADMIN_CACHE_MS = 5 * 60 * 1000;

/** The fields of `users.info` that decide. */
export interface SlackUserFacts {
  is_admin?: boolean | undefined;
  is_owner?: boolean | undefined;
  is_primary_owner?: boolean | undefined;
  is_restricted?: boolean | undefined;
  is_ultra_restricted?: boolean | undefined;
}

export type LookupUser = (teamId: string, userId: string) => Promise<SlackUserFacts>;

export interface AdminCheckOptions {
  /** SLACK_ADMIN_USERS: user ids allowed besides admins and owners. */
  adminUsers: readonly string[];
  lookup: LookupUser;
  clock: Clock;
  logger: Logger;
  cacheMs?: number;
}

export interface AdminCheck {
  canManage(teamId: string, userId: string): Promise<boolean>;
}

export function isWorkspaceManager(user: SlackUserFacts): boolean {
  if (user.is_restricted === true || user.is_ultra_restricted === true) return false;
  return user.is_admin === true || user.is_owner === true || user.is_primary_owner === true;
}

export function createAdminCheck(options: AdminCheckOptions): AdminCheck {
  const listed = new Set(options.adminUsers);
  const cacheMs = options.cacheMs ?? DEFAULT_ADMIN_CACHE_MS;
  const cache = new Map<string, { at: number; canManage: boolean }>();
  return {
    canManage: async (teamId, userId) => {
      if (listed.has(userId)) return true;
      const key = `${teamId}:${userId}`;
      const now = options.clock.now();
      const cached = cache.get(key);
      if (cached && now - cached.at < cacheMs) return cached.canManage;
      try {
        const canManage = isWorkspaceManager(await options.lookup(teamId, userId));
        cache.set(key, { at: now, canManage });
        if (cache.size > 10_000) cache.delete(cache.keys().next().value!);
        return canManage;
      } catch (error) {
        const coded = asWirewatchError(error, 'slack_lookup_failed');
        options.logger.warn({ team_id: teamId, user_id: userId, code: coded.code, err: coded }, 'users.info failed; treating the user as not an admin');
        return false;
      }
    },
  };
}

/** `users.info` through a Web API client (needs the users:read scope). */
export function usersInfoLookup(client: WebClient): LookupUser {
  return async (_teamId, userId) => {
    const answer = await client.users.info({ user: userId });
    return answer.user ?? {};
  };
}
