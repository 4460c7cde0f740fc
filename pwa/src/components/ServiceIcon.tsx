import type { JSX } from 'preact';
import type { Amenity } from '../lib/stations';
import { AMENITY_PATHS } from './AmenityIcon';
import { Svg } from './Icons';

// The server names each service type's icon (`water`, `charge`, …); most are the amenity
// drawings, so one set of lines serves both.
const BY_AMENITY: Record<string, Amenity> = {
  water: 'drinking_water',
  charge: 'phone_charging',
  microwave: 'microwave',
  toilet: 'toilet',
  rest: 'rest_area',
  snow: 'air_conditioning',
  fire: 'heating',
  battery: 'battery_swap',
  wrench: 'repair_tools',
  firstaid: 'first_aid',
  pill: 'medicine',
  umbrella: 'umbrella',
  wifi: 'wifi',
  shower: 'shower',
  law: 'legal_aid',
  heart: 'counselling',
  book: 'library',
};

const DOTS: JSX.Element = <path d="M5 12h.01M12 12h.01M19 12h.01" stroke-width={3.5} />;

/** A service type's icon (decorative: the button says the service in words). */
export function ServiceIcon({ icon, size = 32 }: { icon: string; size?: number }) {
  const a = BY_AMENITY[icon];
  return <Svg size={size}>{a ? AMENITY_PATHS[a] : DOTS}</Svg>;
}
