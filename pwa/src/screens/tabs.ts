import type { User } from '../api/types';

/** What the rider home hands each tab. */
export interface TabProps {
  user: User;
  /** The part of the hash after the tab, e.g. `abc` in `#/help/abc`; null on the tab's root. */
  sub: string | null;
  /** Goes to `#/…`; a history push unless `replace`. */
  navigate(hash: string, replace?: boolean): void;
}

/** A tab that can also be browsed without an account (`user` null). */
export type GuestTabProps = Omit<TabProps, 'user'> & { user: User | null };
