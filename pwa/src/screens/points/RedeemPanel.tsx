import type { User } from '../../api/types';

/** Operator: redeem a rider's points code for a reward. */
export function RedeemPanel(_: { user: User }) {
  return null;
}
