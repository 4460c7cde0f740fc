import type { JSX } from 'preact';
import type { MessageKey } from '../i18n';
import { useI18n } from '../i18n/context';
import { AMENITIES, isAmenity, type Amenity } from '../lib/stations';
import { Svg } from './Icons';

// One simple line icon per amenity, drawn on a 24×24 grid with the app's stroke style.
export const AMENITY_PATHS: Record<Amenity, JSX.Element> = {
  drinking_water: <path d="M12 3s6 6.5 6 11a6 6 0 0 1-12 0c0-4.5 6-11 6-11z" />,
  phone_charging: (
    <>
      <rect x="6" y="2" width="12" height="20" rx="2" />
      <path d="m13 6-3 5h4l-3 5" />
    </>
  ),
  battery_swap: (
    <>
      <rect x="2" y="7" width="17" height="10" rx="2" />
      <path d="M22 10.5v3M11 9l-2 3h4l-2 3" />
    </>
  ),
  microwave: (
    <>
      <rect x="2" y="5" width="20" height="14" rx="2" />
      <rect x="5" y="8" width="10" height="8" rx="1" />
      <path d="M18.5 9v.01M18.5 13v.01" />
    </>
  ),
  toilet: (
    <>
      <path d="M7 3h10v7H7z" />
      <path d="M5 10h14a7 7 0 0 1-14 0z" />
      <path d="m9 16.5-1 4.5h8l-1-4.5" />
    </>
  ),
  rest_area: (
    <>
      <path d="M3 19v-7h18v7M3 15h18" />
      <path d="M6 12V9a2 2 0 0 1 2-2h3v5" />
    </>
  ),
  air_conditioning: <path d="M12 2v20M3.5 7l17 10M20.5 7l-17 10M9 3.5 12 6l3-2.5M9 20.5 12 18l3 2.5" />,
  heating: <path d="M12 22a6 6 0 0 0 6-6c0-4-3-6-4-10-2 2-3 4-3 6-1-1-2-2-2-3-2 2-3 4-3 7a6 6 0 0 0 6 6z" />,
  first_aid: (
    <>
      <rect x="3" y="3" width="18" height="18" rx="3" />
      <path d="M12 7.5v9M7.5 12h9" />
    </>
  ),
  medicine: (
    <>
      <path d="M4.9 13.4 13.4 4.9a4 4 0 0 1 5.7 5.7l-8.5 8.5a4 4 0 0 1-5.7-5.7z" />
      <path d="m9 9 6 6" />
    </>
  ),
  wifi: <path d="M2 9a15 15 0 0 1 20 0M5 12.5a10 10 0 0 1 14 0M8.5 16a5 5 0 0 1 7 0M12 20h.01" />,
  repair_tools: <path d="M14.5 6.5a4.5 4.5 0 0 0 6 4.2L11 20.2a2 2 0 0 1-3-3l9.5-9.5a4.5 4.5 0 0 0-3-1.2zM3 21l2.5-2.5" />,
  umbrella: (
    <>
      <path d="M2 12a10 10 0 0 1 20 0z" />
      <path d="M12 12v7a2 2 0 0 0 4 0" />
    </>
  ),
  shower: (
    <>
      <path d="M4 21V7a4 4 0 0 1 8 0M8.5 7h7" />
      <path d="M10 11v.01M13 11v.01M16 11v.01M11 14v.01M14 14v.01M17 14v.01M12 17v.01M15 17v.01" />
    </>
  ),
  legal_aid: (
    <>
      <path d="M12 3v18M7 21h10M4 7h16" />
      <path d="m7 7-3 7a3 3 0 0 0 6 0zM17 7l-3 7a3 3 0 0 0 6 0z" />
    </>
  ),
  counselling: (
    <>
      <path d="M21 12a8.5 8.5 0 0 1-12.3 7.6L3 21l1.4-5.3A8.5 8.5 0 1 1 21 12z" />
      <path d="M12 15.5s-3.5-2-3.5-4.2a1.8 1.8 0 0 1 3.5-.6 1.8 1.8 0 0 1 3.5.6c0 2.2-3.5 4.2-3.5 4.2z" />
    </>
  ),
  library: (
    <>
      <path d="M4 19.5V5a2 2 0 0 1 2-2h14v15H6a2 2 0 0 0-2 2 2 2 0 0 0 2 2h14" />
      <path d="M8 7h8M8 11h5" />
    </>
  ),
};

export const amenityKey = (a: Amenity): MessageKey => `amenity_${a}`;

/** An amenity's icon; its name is the accessible label (and the tooltip). */
export function AmenityIcon({ amenity, size = 24 }: { amenity: string; size?: number }) {
  const { t } = useI18n();
  if (!isAmenity(amenity)) return null;
  const label = t(amenityKey(amenity));
  return (
    <Svg size={size} label={label} class="amenity-icon" data-amenity={amenity}>
      {AMENITY_PATHS[amenity]}
    </Svg>
  );
}

/** A row of amenity icons in the closed set's order. With `labels`, each icon carries its name
 * (a label never breaks inside itself; the row wraps between labels); with `max`, the rest
 * are counted ("+3"). */
export function AmenityRow({ amenities, testid, labels = false, max }: { amenities: readonly string[]; testid?: string; labels?: boolean; max?: number }) {
  const { t } = useI18n();
  const all = AMENITIES.filter((a) => amenities.includes(a));
  const shown = max !== undefined && all.length > max ? all.slice(0, max) : all;
  const more = all.length - shown.length;
  if (!labels) {
    return (
      <div class="amenity-row" data-testid={testid}>
        {shown.map((a) => (
          <AmenityIcon key={a} amenity={a} />
        ))}
      </div>
    );
  }
  return (
    <ul class="amenity-row amenity-labels" data-testid={testid}>
      {shown.map((a) => (
        <li key={a} class="amenity-label" data-label-for={a} data-testid="amenity-label">
          <AmenityIcon amenity={a} size={18} />
          <span>{t(amenityKey(a))}</span>
        </li>
      ))}
      {more > 0 ? (
        <li class="amenity-label amenity-more" data-testid="amenity-more" aria-label={t('amenities_more', { n: more })}>
          +{more}
        </li>
      ) : null}
    </ul>
  );
}

