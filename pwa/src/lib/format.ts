import type { Locale, MessageKey } from '../i18n';

/** The phone rule the server applies: a mainland China mobile number. */
export const PHONE_RE = /^1[3-9]\d{9}$/;

export const isValidPhone = (phone: string): boolean => PHONE_RE.test(phone);

/** Keeps digits only, so "138 0000 0001" and "138-0000-0001" are accepted as typed. */
export const normalizePhone = (input: string): string => input.replace(/[\s-]/g, '');

/** 13812341234 → 138****1234. Anything that is not 11 digits is masked whole but for its ends. */
export function maskPhone(phone: string): string {
  const digits = phone.trim();
  if (digits.length === 11) return `${digits.slice(0, 3)}****${digits.slice(7)}`;
  if (digits.length <= 4) return '*'.repeat(digits.length);
  return `${digits.slice(0, 2)}${'*'.repeat(digits.length - 4)}${digits.slice(-2)}`;
}

const ROLE_KEYS = {
  rider: 'role_rider',
  operator: 'role_operator',
  staff: 'role_staff',
  admin: 'role_admin',
} as const satisfies Record<string, MessageKey>;

export function roleKey(role: string): MessageKey {
  return (ROLE_KEYS as Record<string, MessageKey>)[role] ?? 'role_rider';
}

/** A date for people: 2026年3月5日 / 5 Mar 2026, in Shanghai time. */
export function formatDate(iso: string, locale: Locale): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
    year: 'numeric',
    month: locale === 'en' ? 'short' : 'long',
    day: 'numeric',
    timeZone: 'Asia/Shanghai',
  }).format(d);
}

/** warmnew-my-data-20260305.json, dated in Shanghai time. */
export function exportFileName(now: Date): string {
  const parts = new Intl.DateTimeFormat('en-CA', {
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    timeZone: 'Asia/Shanghai',
  }).format(now);
  return `warmnew-my-data-${parts.replace(/-/g, '')}.json`;
}

/** Display-name rule the server applies: 1–40 characters after trimming. */
export function isValidDisplayName(name: string): boolean {
  const n = [...name.trim()].length;
  return n >= 1 && n <= 40;
}
