import type { TabProps } from '../tabs';

/** Rider 我的 tab, above the profile: balance, history, rewards, "show my code". */
export function MyPoints(_: TabProps) {
  return null;
}
