import type { JSX } from 'preact';
import { Svg } from '../../components/Icons';
import type { Category } from '../../lib/helpRequests';

// One line icon per help category, on the app's 24×24 grid and stroke style.
const PATHS: Record<Category, JSX.Element> = {
  medical: (
    <>
      <path d="M20.8 5.6a5 5 0 0 0-7.1 0L12 7.3l-1.7-1.7a5 5 0 0 0-7.1 7.1L12 21.4l8.8-8.7a5 5 0 0 0 0-7.1z" />
      <path d="M6.5 12.5h3l1.5-3 2 5 1.5-2h3" />
    </>
  ),
  traffic_accident: (
    <>
      <path d="M4 17v-4l2.2-5h11.6L20 13v4z" />
      <circle cx="7.5" cy="17.5" r="1.8" />
      <circle cx="16.5" cy="17.5" r="1.8" />
      <path d="M4 3.5 6 6M20 3.5 18 6M12 2v3" />
    </>
  ),
  vehicle_breakdown: (
    <>
      <circle cx="5.5" cy="17" r="3.5" />
      <circle cx="18.5" cy="17" r="3.5" />
      <path d="M5.5 17 9 9h5l4.5 8M9 9l3 8h2M13 5h3l1 4" />
    </>
  ),
  wage_arrears: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 7 12 11.5 15.5 7M12 11.5V17M9 12h6M9 14.5h6" />
    </>
  ),
  customer_dispute: (
    <>
      <path d="M3 4h11v8H8l-3 3v-3H3z" />
      <path d="M17 9h4v8h-2v3l-3-3h-5v-2" />
    </>
  ),
  platform_dispute: (
    <>
      <rect x="6" y="2" width="12" height="20" rx="2" />
      <path d="M12 7v6M12 16.5v.01" />
    </>
  ),
  legal_consult: (
    <>
      <path d="M12 3v18M7 21h10M4 7h16" />
      <path d="m7 7-3 7a3 3 0 0 0 6 0zM17 7l-3 7a3 3 0 0 0 6 0z" />
    </>
  ),
  psychological: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8.5 14.5a4.5 4.5 0 0 0 7 0M9 9.5h.01M15 9.5h.01" />
    </>
  ),
  housing: (
    <>
      <path d="M3 11 12 3l9 8M5 9.5V21h14V9.5" />
      <rect x="9" y="12" width="6" height="5" />
    </>
  ),
  children_education: (
    <>
      <path d="M2 9l10-5 10 5-10 5z" />
      <path d="M6 11v5c3 2.5 9 2.5 12 0v-5M22 9v6" />
    </>
  ),
  hazard_report: (
    <>
      <path d="M10.3 3.9 1.8 18a2 2 0 0 0 1.7 3h17a2 2 0 0 0 1.7-3L13.7 3.9a2 2 0 0 0-3.4 0z" />
      <path d="M12 9v4M12 17h.01" />
    </>
  ),
  suggestion: (
    <>
      <path d="M9 18h6M10 21h4" />
      <path d="M12 3a6 6 0 0 0-3.5 10.9c.6.5 1 1.2 1 2.1h5c0-.9.4-1.6 1-2.1A6 6 0 0 0 12 3z" />
    </>
  ),
  other: (
    <>
      <circle cx="12" cy="12" r="9" />
      <path d="M8 12h.01M12 12h.01M16 12h.01" />
    </>
  ),
};

/** Decorative: the category's name is always written next to it. */
export function CategoryIcon({ category, size = 28 }: { category: string; size?: number }) {
  const path = (PATHS as Record<string, JSX.Element>)[category] ?? PATHS.other;
  return (
    <Svg size={size} class="hr-cat-icon" data-category={category}>
      {path}
    </Svg>
  );
}
